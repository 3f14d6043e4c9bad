// The link actions of a flow (issue 14), against a target whose user server
// and one region sit behind the runner's proxies: bad arguments are refused with a clear error,
// a role without a proxy makes the step impossible.
import t, { type Test } from 'tap'
import type { Flow } from '../../spec/flows/schema.ts'
import { Links } from '../target/links.ts'
import type { Target } from '../target/target.ts'
import { perform } from './actions.ts'
import { Impossible } from './expectations.ts'
import { FlowContext } from './flow-context.ts'

const flow: Flow = {
  id: 'x-links-test', title: 'links', source: { kind: 'expected', ref: 'test' }, summary: 'links',
  actors: { R1: { kind: 'region' }, R2: { kind: 'region' }, US: { kind: 'user-server' } },
  steps: [{ id: '1', actor: 'R1', action: 'nothing', outcomes: [] }]
}

async function setUp (t: Test) {
  const links = new Links()
  const us = await links.front()
  const r1 = await links.front()
  const target: Target = {
    name: 'links', userServerUrl: us.url, adminToken: '', capabilities: new Set(['link-faults']), links,
    regions: [{ name: 'Region 1', regionId: 'r1-id', url: r1.url }, { name: 'Region 2', regionId: 'r2-id', url: 'http://127.0.0.1:1' }],
    close: async () => {}
  }
  t.teardown(async () => { await links.close() })
  return { ctx: new FlowContext(flow, target, 300), us, r1 }
}

t.test('link faults are set on the proxy in front of `to`, for the signer `from`, and healed', async (t) => {
  const { ctx, us } = await setUp(t)
  t.match(await perform(ctx, { call: 'partition', args: { from: 'R1', to: 'US', operation: ['locateUser', 'storeOfflineMessage'] } }), { status: 200 })
  t.match(await perform(ctx, { call: 'delay', args: { from: 'US', to: 'R1', ms: 10, count: 2 } }), { status: 200 })
  t.match(ctx.trace.map((e) => e.operationId), ['partition', 'delay'])
  t.match(await perform(ctx, { call: 'heal', args: { to: 'US' } }), { status: 200 })
  t.match(await perform(ctx, { call: 'heal' }), { status: 200 }, 'every link')
  t.match(await perform(ctx, { call: 'drop-held', args: { to: 'US' } }), { status: 200 })
  t.equal(us.holding, 0)
})

t.test('bad arguments are refused with a clear error', async (t) => {
  const { ctx } = await setUp(t)
  await t.rejects(perform(ctx, { call: 'partition', args: { from: 'R1' } }), /needs `to`/)
  await t.rejects(perform(ctx, { call: 'partition', args: { to: 'US', operation: 'noSuchOperation' } }), /unknown operation noSuchOperation/)
  await t.rejects(perform(ctx, { call: 'partition', args: { to: 'US', from: 'RZ' } }), /RZ is not a role of this flow/)
  await t.rejects(perform(ctx, { call: 'delay', args: { to: 'US' } }), /a delay needs ms/)
  await t.rejects(perform(ctx, { call: 'await-held', args: { to: 'US', count: 0 } }), /count ≥ 1/)
  await t.rejects(perform(ctx, { call: 'await-held', args: { to: 'US' } }), /held 0 of 1 within 300 ms/)
  await t.rejects(perform(ctx, { call: 'await-held', args: { to: 'US', atMostMs: -5 } }), /atMostMs, a whole number of milliseconds > 0/)
  await t.rejects(perform(ctx, { call: 'await-held', args: { to: 'US', atMostMs: true } }), /got true/)
})

t.test('await-held with atMostMs goes on quietly when nothing was held by then', async (t) => {
  const { ctx } = await setUp(t)
  const began = Date.now()
  t.match(await perform(ctx, { call: 'await-held', args: { to: 'US', atMostMs: 50 } }), { status: 200, body: { held: 0 } })
  t.ok(Date.now() - began >= 45, 'it waited for the bound')
})

t.test('a role with no proxy in front of it makes the step impossible', async (t) => {
  const { ctx } = await setUp(t)
  const err = await perform(ctx, { call: 'hold', args: { to: 'R2' } }).then(() => undefined, (e: unknown) => e)
  t.ok(err instanceof Impossible, String(err))
  t.match(String(err), /no proxy in front of R2/)
})

