// A flow's expectations are read against the contract before anything is waited for: an event
// type client.yaml does not define fails the check by name (a `no-event` of a misspelt type would
// otherwise pass without having looked at anything).
import t from 'tap'
import type { Flow } from '../../spec/flows/schema.ts'
import type { Target } from '../target/target.ts'
import { check, gapsMs, Impossible } from './expectations.ts'
import { FlowContext } from './flow-context.ts'

const flow: Flow = {
  id: 'f',
  title: 'F',
  source: { kind: 'expected', ref: 'test' },
  summary: 'a flow with one user',
  actors: { A: { kind: 'user' } },
  steps: [{ id: '1', actor: 'A', action: 'waits', outcomes: [] }]
}
const target: Target = { name: 't', userServerUrl: 'http://127.0.0.1:9', adminToken: 'x', regions: [], capabilities: new Set(), close: async () => {} }

t.test('an event or no-event of a type client.yaml does not define fails, naming the type', async (t) => {
  const ctx = new FlowContext(flow, target, 100)
  for (const kind of ['event', 'no-event'] as const) {
    await t.rejects(check(ctx, { kind, for: 'A', type: 'instantMesage' }, { exchanges: [] }), /openapi\/client\.yaml defines no ClientEvent of type instantMesage/, kind)
  }
})

t.test('a name the flow has no user for is refused by name', async (t) => {
  const ctx = new FlowContext(flow, target, 100)
  t.throws(() => ctx.userIdOf('Z'), /Z is not a user of this flow/)
  ctx.users.set('A', { name: 'A', firstName: 'A', lastName: 'B', password: 'p', userId: 'u-a' })
  t.equal(ctx.userIdOf('A'), 'u-a')
})

t.test('a traffic check fails on a departure of its role under its requirements, and when it saw nothing; the runner\'s roles are not judged', async (t) => {
  const ctx = new FlowContext(flow, target, 100)
  await t.rejects(check(ctx, { kind: 'traffic', of: 'US' }, { exchanges: [] }, ['GRIDIM-ROLE-9']), /saw no message of US to judge/)
  ctx.contract.answered('adminGetUser', 'http://127.0.0.1:9/admin/users/x', { status: 200, body: { userId: 'X', firstName: 'A' }, contentType: 'application/json' })
  await t.rejects(check(ctx, { kind: 'traffic', of: 'US' }, { exchanges: [] }, ['GRIDIM-ROLE-9']), /1 kind of message from US break GRIDIM-ROLE-9: runner -> US adminGetUser response 200/)
  await check(ctx, { kind: 'traffic', of: 'US' }, { exchanges: [] }, ['GRIDIM-ID-12'])
  const played = new FlowContext(flow, { ...target, playsUserServer: true }, 100)
  const err = await check(played, { kind: 'traffic', of: 'US' }, { exchanges: [] }, ['GRIDIM-ROLE-9']).catch((e: unknown) => e)
  t.ok(err instanceof Impossible, 'impossible when the runner plays the role')
  t.match(String(err), /the runner plays US/)
})

t.test('the gaps between exchanges are measured from their departures, in order', async (t) => {
  const x = (sentAt: number | undefined, at: number) => ({ operationId: 'o', method: 'POST', url: 'http://h/', status: 200, sentAt, at })
  t.same(gapsMs([x(3000, 3100), x(1000, 1100), x(undefined, 1500)]), [500, 1500])
  t.same(gapsMs([]), [])
})

t.test('a discreet response is an error answer that reveals no internal detail', async (t) => {
  const ctx = new FlowContext(flow, target, 100)
  const problem = { type: 'urn:gridim:problem:internal', title: 'Internal error', status: 500, code: 'internal' }
  await check(ctx, { kind: 'response', discreet: true }, { exchanges: [], response: { status: 500, body: problem } })
  await t.rejects(check(ctx, { kind: 'response', discreet: true }, { exchanges: [], response: { status: 500, body: { ...problem, detail: 'Error: x\n    at f (/srv/app.js:1:2)' } } }), /the 500 answer reveals a stack frame at \/detail/)
  await t.rejects(check(ctx, { kind: 'response', discreet: true }, { exchanges: [], response: { status: 200, body: {} } }), /expected an error answer/)
})

t.test('a response `contentType` compares the media type without parameters or case, and fails another or none', async (t) => {
  const ctx = new FlowContext(flow, target, 100)
  await check(ctx, { kind: 'response', contentType: 'text/event-stream' }, { exchanges: [], response: { status: 200, body: {}, contentType: 'Text/Event-Stream; charset=utf-8' } })
  await t.rejects(check(ctx, { kind: 'response', contentType: 'application/problem+json' }, { exchanges: [], response: { status: 400, body: {}, contentType: 'application/json' } }),
    /expected the media type application\/problem\+json, the answer is labelled application\/json/)
  await t.rejects(check(ctx, { kind: 'response', contentType: 'text/event-stream' }, { exchanges: [], response: { status: 200, body: {} } }), /labelled with none/)
})

t.test('a response `within` bound passes an answer in time and fails a late one, saying how late', async (t) => {
  const ctx = new FlowContext(flow, target, 100)
  const startedAt = 10_000
  await check(ctx, { kind: 'response', status: 200, within: 2 }, { exchanges: [], startedAt, response: { status: 200, body: {}, answeredAt: startedAt + 1500 } })
  // An awaited answer that came before the step began counts as at once.
  await check(ctx, { kind: 'response', within: 2 }, { exchanges: [], startedAt, response: { status: 200, body: {}, answeredAt: startedAt - 5000 } })
  await t.rejects(check(ctx, { kind: 'response', within: 2 }, { exchanges: [], startedAt, response: { status: 200, body: {}, answeredAt: startedAt + 9000 } }),
    /the answer came 9\.0 s after the step began, later than 2 s/)
})

t.test('an exchange `within` bound counts only requests sent in time, and stops waiting then', async (t) => {
  const observing: Target = { ...target, observe: () => () => {}, keyIdUrl: () => 'http://127.0.0.1:9' }
  const ctx = new FlowContext({ ...flow, actors: { ...flow.actors, US: { kind: 'user-server' } } }, observing, 10_000)
  const startedAt = Date.now()
  const exchange = (sentAt: number) => ({ operationId: 'deliverNotices', method: 'POST', url: 'http://127.0.0.1:9/x', keyId: 'user-server', status: 200, sentAt, at: sentAt })
  await check(ctx, { kind: 'exchange', operation: 'deliverNotices', from: 'US', to: 'US', within: 2 }, { exchanges: [exchange(startedAt + 1000)], startedAt })
  const began = Date.now()
  await t.rejects(check(ctx, { kind: 'exchange', operation: 'deliverNotices', from: 'US', to: 'US', within: 0.2 }, { exchanges: [exchange(startedAt + 3000)], startedAt }),
    /expected at least one deliverNotices from US to US within 0\.2 s of the step's start, saw 0/)
  t.ok(Date.now() - began < 2000, 'the bound, not the event timeout, ends the wait')
})

t.test('an exchange `status` counts only the exchanges answered with it', async (t) => {
  const observing: Target = { ...target, observe: () => () => {}, keyIdUrl: () => 'http://127.0.0.1:9' }
  const ctx = new FlowContext({ ...flow, actors: { ...flow.actors, US: { kind: 'user-server' } } }, observing, 10_000)
  const startedAt = Date.now()
  const exchange = (status: number) => ({ operationId: 'deliverNotices', method: 'POST', url: 'http://127.0.0.1:9/x', keyId: 'user-server', status, sentAt: startedAt, at: startedAt })
  const state = { exchanges: [exchange(0), exchange(401)], startedAt }
  await check(ctx, { kind: 'exchange', operation: 'deliverNotices', from: 'US', to: 'US', status: 401, count: 1 }, state)
  await check(ctx, { kind: 'exchange', operation: 'deliverNotices', from: 'US', to: 'US', status: 0, count: 1 }, state)
  await check(ctx, { kind: 'exchange', operation: 'deliverNotices', from: 'US', to: 'US', status: 200, count: 0 }, state)
  await t.rejects(check(ctx, { kind: 'exchange', operation: 'deliverNotices', from: 'US', to: 'US', status: 401, count: 0 }, state),
    /expected 0 deliverNotices from US to US answered 401, saw 1/)
})
