// What the chaos clients do after a failure: repeat, log in again, or give up.
import t from 'tap'
import { GridImError } from '../../reference/lib/errors/index.ts'
import { ChaosClient, disposition } from './client.ts'
import { Ledger } from './ledger.ts'
import { sendInstantMessage } from './sender.ts'
import { Traffic } from './traffic.ts'

t.test('a client repeats what the grid did not decide, logs in again after 401, gives up on a refusal', async (t) => {
  t.equal(disposition(new GridImError('unavailable')), 'retry')
  t.equal(disposition(new GridImError('internal')), 'retry')
  t.equal(disposition(new GridImError('rate-limited')), 'retry')
  t.equal(disposition(new Error('socket hang up')), 'retry', 'no answer at all')
  t.equal(disposition(new GridImError('unauthenticated')), 'login')
  t.equal(disposition(new GridImError('unknown-user')), 'fail')
  t.equal(disposition(new GridImError('invalid-request')), 'fail')
})

const user = { firstName: 'No', lastName: 'One', password: 'x', userId: 'u0000000-0000-4000-8000-000000000000' }

t.test('a stopped client sends nothing more: the message ends as an error, not as sent', async (t) => {
  const client = new ChaosClient({ user, regionUrl: 'http://127.0.0.1:9' })
  await client.stop()
  const ledger = new Ledger()
  await sendInstantMessage(client, ledger, 'someone', 'hello', { deadlineMs: 1000 })
  t.match(ledger.counts(), { sent: 0, errors: 1, errorCodes: { stopped: 1 } })
  await client.pause(10_000) // returns at once once stopped
})

t.test('a client that cannot log in keeps trying until it is stopped; the message ends as an error', async (t) => {
  // Port 9 on loopback: nothing listens, every attempt fails with a connection error.
  const client = new ChaosClient({ user, regionUrl: 'http://127.0.0.1:9' })
  const ledger = new Ledger()
  const sending = sendInstantMessage(client, ledger, 'someone', 'hello', { deadlineMs: 300 })
  await client.pause(400)
  await client.stop() // a login that keeps failing ends when the client stops
  await sending
  t.equal(ledger.counts().sent, 0)
  t.equal(ledger.counts().errors, 1)
})

t.test('traffic needs pairs and a positive rate', async (t) => {
  const client = new ChaosClient({ user, regionUrl: 'http://127.0.0.1:9' })
  t.throws(() => new Traffic([], new Ledger(), { ratePerSecond: 1, deadlineMs: 1 }), /at least one pair/)
  t.throws(() => new Traffic([{ sender: client, recipient: client }], new Ledger(), { ratePerSecond: 0, deadlineMs: 1 }), /positive/)
})
