// The runner actions jabber-server and restart-gateway on a stand-in flow context: what they
// answer, what they refuse, and what they undo when the flow ends.
import t from 'tap'
import type { LinkControl } from '../jabber/link-control.ts'
import type { Target } from '../target/target.ts'
import type { FlowContext } from './flow-context.ts'
import { jabberServerAction, restartGatewayAction } from './jabber-actions.ts'

type Restart = NonNullable<Target['restartGateway']>

function context (target: Partial<Target>): FlowContext & { recorded: string[] } {
  const recorded: string[] = []
  return {
    target: { gateway: { url: 'http://127.0.0.1:1', domain: 'grid.example' }, ...target },
    cleanups: [],
    gatewayRestarted: undefined,
    gatewayActor: 'GW',
    runTag: 'abcd',
    recorded,
    record: (entry: { operationId: string }) => { recorded.push(entry.operationId) }
  } as unknown as FlowContext & { recorded: string[] }
}

function link (linked: boolean): LinkControl & { acts: string[] } {
  const acts: string[] = []
  return {
    acts,
    perform: async (act: string) => { acts.push(act); return { act } },
    restore: async () => { acts.push('restore'); return linked }
  } as unknown as LinkControl & { acts: string[] }
}

t.test('jabber-server performs the act, records it, and restores the link once when the flow ends', async (t) => {
  const control = link(true)
  const ctx = context({ jabberServer: { kind: 'simulated', domain: 'jabber.example', link: control } })
  t.same(await jabberServerAction(ctx, { act: 'go-silent' }), { status: 200, body: { act: 'go-silent' } })
  await jabberServerAction(ctx, { act: 'cut-link', refuse: 2 })
  t.same(ctx.recorded, ['jabber-server go-silent', 'jabber-server cut-link'])
  t.equal(ctx.cleanups.length, 1, 'one clean-up for the flow')
  await ctx.cleanups[0]!()
  t.same(control.acts, ['go-silent', 'cut-link', 'restore'])
})

t.test('jabber-server refuses a server the runner does not play, and an unknown act', async (t) => {
  await t.rejects(jabberServerAction(context({ jabberServer: { kind: 'prosody', domain: 'jabber.example' } }), { act: 'go-silent' }), /needs: control-jabber-server/)
  await t.rejects(jabberServerAction(context({ jabberServer: { kind: 'simulated', domain: 'j', link: link(true) } }), { act: 'dance' }), /unknown jabber-server act dance/)
})

t.test('a gateway that stopped linking is restarted when the flow ends; one that will not start is an error', async (t) => {
  const restarts: unknown[] = []
  let works = true
  const restartGateway: Restart = async (options) => { restarts.push(options); return works ? { started: true } : { started: false, error: 'no' } }
  const ctx = context({ jabberServer: { kind: 'simulated', domain: 'jabber.example', link: link(false) }, restartGateway })
  await jabberServerAction(ctx, { act: 'cut-link', refuse: 'all', condition: 'not-authorized' })
  await ctx.cleanups[0]!()
  t.same(restarts, [undefined])
  works = false
  await t.rejects(ctx.cleanups[0]!(), /did not start again after the flow: no/)
})

t.test('restart-gateway: started, or refused with the names its error gives; undone when not left as configured', async (t) => {
  const restarts: unknown[] = []
  const restartGateway: Restart = async (options) => {
    restarts.push(options)
    return options?.domain === undefined
      ? { started: true }
      : { started: false, error: `the user server's gateway domain is grid.example but this gateway's is ${options.domain}` }
  }
  const ctx = context({ restartGateway, jabberServer: { kind: 'simulated', domain: 'jabber.example', link: link(true) } })
  t.same(await restartGatewayAction(ctx, {}), { status: 200, body: { started: true } })
  t.equal(ctx.gatewayRestarted, 'as configured')
  const refused = await restartGatewayAction(ctx, { domain: 'mismatched' })
  t.match(refused.body, { started: false, names: { gatewayDomain: true, publishedDomain: true, jabberServer: false } })
  t.equal(ctx.gatewayRestarted, 'otherwise')
  await ctx.cleanups[0]!()
  t.same(restarts, [{}, { domain: 'mismatched-abcd.grid.example' }, undefined], 'restarted as configured at the end')
  t.equal(ctx.gatewayRestarted, 'as configured')
})

t.test('restart-gateway refuses a target that cannot, and a domain it does not know', async (t) => {
  await t.rejects(restartGatewayAction(context({}), {}), /needs: restart-gateway/)
  await t.rejects(restartGatewayAction(context({ restartGateway: async () => ({ started: true }) }), { domain: 'evil.example' }), /domain is mismatched or absent/)
})
