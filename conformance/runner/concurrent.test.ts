import t from 'tap'
import { StartedRequests } from './concurrent.ts'

t.test('a started request is awaited later, with the time its answer came', async (t) => {
  const started = new StartedRequests()
  let answer!: (v: { status: number, body: unknown }) => void
  started.start('poll', async () => await new Promise((resolve) => { answer = resolve }))
  const before = Date.now()
  answer({ status: 200, body: { events: [] } })
  const result = await started.await('poll')
  t.equal(result.status, 200)
  t.ok((result.answeredAt ?? 0) >= before, 'answeredAt is when the answer came')
  await started.settle()
})

t.test('a failed request fails the step that awaits it, and nothing else', async (t) => {
  const started = new StartedRequests()
  started.start('poll', async () => { throw new Error('connection refused') })
  started.start('other', async () => { throw 'not an Error' }) // eslint-disable-line @typescript-eslint/only-throw-error
  await t.rejects(started.await('poll'), /connection refused/)
  await t.rejects(started.await('other'), /not an Error/)
  await started.settle()
})

t.test('awaiting a name never started, or starting one twice, is a flow error', async (t) => {
  const started = new StartedRequests()
  await t.rejects(started.await('nope'), /no earlier step started a request named nope/)
  started.start('poll', async () => ({ status: 204, body: undefined }))
  t.throws(() => { started.start('poll', async () => ({ status: 204, body: undefined })) }, /already started/)
})
