// The interop results recorder and reader (issue 12): a step works only if it passed, a failed
// step stays failed and rethrows, a results file outside the shared vocabulary is refused.
import t from 'tap'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { InteropRecorder, parseResults } from './results.ts'

const header = { client: 'slixmpp 1.8.3', via: 'Prosody 0.12 (component link)', transport: 'c2s' } as const

t.test('steps: works when they pass, fails when they throw, not tested when never run', async (t) => {
  const r = new InteropRecorder('x-y.json', header, ['login', 'presence', 'roster'])
  t.equal(await r.step('login', async () => 42), 42)
  await t.rejects(r.step('presence', async () => { throw new Error('no presence') }), /no presence/)
  await r.step('presence', async () => undefined)
  t.same(r.results.features, { login: 'works', presence: 'fails', roster: 'not tested' }, 'a failure is not undone by a later pass')
  await t.rejects(r.step('chat states', async () => undefined), /not declared/)
})

t.test('write: the fresh file, and what was there before', async (t) => {
  const dir = t.testdir({})
  const r = new InteropRecorder('a-b.json', header, ['login'])
  t.same(r.write(dir).committed, null, 'no committed file yet')
  await r.step('login', async () => undefined)
  const { committed, fresh } = r.write(dir)
  t.match(committed, /"login": "not tested"/)
  t.equal(readFileSync(join(dir, 'a-b.json'), 'utf8'), fresh)
  t.same(parseResults(fresh, 'a-b.json'), r.results)
  const again = r.write(dir)
  t.equal(again.committed, again.fresh, 'the same results again: nothing to change')
})

t.test('parseResults refuses what the table cannot show', async (t) => {
  t.throws(() => parseResults(JSON.stringify({ client: '', via: 1, transport: 'carrier pigeon', features: { telepathy: 'works', login: 'maybe' } }), 'bad.json'),
    /bad.json: client must be a non-empty string; via must be a non-empty string; transport must be one of c2s, BOSH, WebSocket; unknown feature "telepathy"; feature "login": unknown outcome "maybe"/)
  t.throws(() => parseResults(JSON.stringify({ ...header, features: null }), 'n.json'), /features must be an object/)
})
