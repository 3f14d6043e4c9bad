// The XMPP flows (those that need a gateway or a Jabber server) through the runner against the
// embedded reference grid with a real Jabber server, under tap: every check must pass — here an
// impossible check is a failure too, since the target has everything these flows need. (The
// runner's simulated Jabber server gets them in conformance.test.ts, with all the other flows.)
import t from 'tap'
import { loadFlows } from '../tools/spec/flows.ts'
import { skipXmppServers } from '../tools/xmpp-servers/servers.ts'
import { requirementText } from './report/requirement-text.ts'
import { runSuite } from './runner/run-suite.ts'
import { startEmbeddedTarget } from './target/embedded.ts'

const XMPP_NEEDS = new Set(['xmpp', 'gateway', 'jabber-server'])

/** The XMPP flows a real Jabber server can take part in: not those where the runner must play it (control-jabber-server). */
export function xmppFlowIds (): string[] {
  return loadFlows().flows
    .filter(({ flow }) => (flow.needs ?? []).some((n) => XMPP_NEEDS.has(n)) && !(flow.needs ?? []).includes('control-jabber-server'))
    .map(({ flow }) => flow.id)
}

export function testXmppFlows (server: 'prosody' | 'ejabberd'): void {
  const skip = skipXmppServers()
  t.test(`the XMPP flows against the reference grid and gateway with a real ${server}`, { skip, timeout: 600_000 }, async (t) => {
    const flows = xmppFlowIds()
    t.ok(flows.length >= 12, 'flows 04, 05x–08x, 10–13, 12x and the x- XMPP flows')
    const target = await startEmbeddedTarget({ xmpp: server })
    t.teardown(() => target.close())
    // Bounded below the default so that a failing flow keeps the file within tap's time limit,
    // yet above the 6 s it was: in CI, beside another tap job, a stanza once took longer than
    // that through ejabberd to the gateway (x-friendship-over-xmpp step 6, 2026-12-02). Two
    // lanes, each with a Jabber server of its own (an ejabberd is a whole Erlang VM).
    const run = await runSuite(target, { flows, eventTimeoutMs: 10_000, concurrency: 2 })
    t.comment(`${server}: ${run.flows.length} flows, ${run.flows.reduce((n, f) => n + f.checks.length, 0)} checks in ${(run.durationMs / 1000).toFixed(1)} s`)
    for (const flow of run.flows) {
      t.test(`${flow.flow}: ${flow.title}`, async (t) => {
        for (const c of flow.checks) {
          const name = `step ${c.step}: ${c.outcome} [${c.requirements.join(', ')}]`
          if (c.status === 'pass') t.pass(name)
          else if (c.status === 'skip') t.pass(name, { skip: c.message ?? 'skip' })
          else {
            t.fail(name, {
              status: c.status,
              // Not `message`: tap takes that key as the assertion's own and prints it nowhere.
              why: c.message,
              requirements: c.requirements.map((id) => `${id}: ${requirementText(id)}`),
              trace: flow.trace.filter((e) => e.operationId !== 'renewRegionLease').slice(-40).map((e) => `${e.from} -> ${e.to} ${e.operationId}${e.status === undefined ? '' : ` ${e.status}`}`)
            })
          }
        }
      })
    }
  })
}
