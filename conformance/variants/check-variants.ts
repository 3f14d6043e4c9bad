// Proof that the conformance runner catches bugs (issue 5): the reference grid is started with
// one deliberate fault (reference/lib/faults.ts), the flow meant to catch it is replayed, and the
// run must fail with a check tagged with the requirement the fault breaks. The same flows must
// pass against the unbroken reference, so a failure here is the fault's doing and nothing else.
import type { Test } from 'tap'
import type { Fault } from '../../reference/lib/faults.ts'
import type { ClientInterface } from '../lib/client-session.ts'
import type { Check, RunResult } from '../runner/results.ts'
import { runSuite } from '../runner/run-suite.ts'
import { startEmbeddedTarget } from '../target/embedded.ts'
import { variants as catalogue, type Area } from './catalogue.ts'

/** Leases this short lapse within 3 s of a crash (a 1 s sweep), well inside the event timeout. */
const LEASE_SECONDS = 2
/** Ample for a lapse; short, since under a fault the awaited event never comes. */
const EVENT_TIMEOUT_MS = 5000
/**
 * Variants run two at a time, each on a grid of its own: a variant's run is mostly waiting (on
 * leases, on an event a fault never sends), so two overlap their waits and share a core without
 * slowing each other. GRIDIM_VARIANT_JOBS sets another number (1: one after another).
 */
export const VARIANT_JOBS = 2

const checksOf = (run: RunResult): Check[] => run.flows.flatMap((f) => f.checks)
const failures = (run: RunResult): Check[] => checksOf(run).filter((c) => c.status === 'fail')
const describe = (checks: readonly Check[]): string[] => checks.map((c) => `${c.flow} step ${c.step} [${c.requirements.join(', ')}]: ${c.message ?? ''}`)

async function runAgainst (flows: string[], faults?: ReadonlySet<Fault>, clientInterface: ClientInterface = 'http'): Promise<RunResult> {
  // The runner's own Jabber server, so the gateway's variants run without Prosody installed.
  const target = await startEmbeddedTarget({ leaseSeconds: LEASE_SECONDS, faults, xmpp: 'simulated' })
  try {
    // One flow after another, as before lanes: leases this short lapse under a busy machine's
    // stalls when several grids share its cores, and a lapse here would blame the reference.
    return await runSuite(target, { flows, eventTimeoutMs: EVENT_TIMEOUT_MS, serial: true, clientInterface })
  } finally {
    await target.close()
  }
}

/**
 * GRIDIM_VARIANTS=fault,fault… runs only those variants of the area (and the unbroken reference
 * on their flows only), for a quick proof of a new fault; unset, all of them run.
 */
export function selected (area: Area, only: string | undefined = process.env.GRIDIM_VARIANTS): typeof catalogue {
  const names = only?.split(',').map((s) => s.trim()).filter((s) => s !== '')
  return catalogue.filter((v) => v.area === area && (names === undefined || names.length === 0 || names.includes(v.fault)))
}

export function variantJobs (setting: string | undefined = process.env.GRIDIM_VARIANT_JOBS): number {
  const jobs = Number(setting)
  return setting !== undefined && Number.isInteger(jobs) && jobs >= 1 ? jobs : VARIANT_JOBS
}

/** Runs the variants of one area: the unbroken reference first, then each fault on its own grid. */
export function checkVariants (t: Test, area: Area): void {
  const variants = selected(area)
  if (variants.length === 0) {
    t.pass(`no variant of ${area} is selected by GRIDIM_VARIANTS`)
    return
  }
  t.jobs = variantJobs()
  t.test('the unbroken reference passes every flow the variants are checked with', async (t) => {
    // Over each client interface a variant runs its flow with.
    for (const over of new Set(variants.map((v) => v.clientInterface ?? 'http'))) {
      const run = await runAgainst([...new Set(variants.filter((v) => (v.clientInterface ?? 'http') === over).map((v) => v.flow))], undefined, over)
      t.ok(checksOf(run).length > 0, `the flows have checks (client interface ${over})`)
      t.same(describe(failures(run)), [], 'no check fails')
      t.same(describe(checksOf(run).filter((c) => c.status === 'impossible')), [], 'and none is impossible')
    }
  })

  for (const { fault, flow, requirement, bug, gap, clientInterface } of variants) {
    t.test(`${bug} fails ${flow} under ${requirement}${clientInterface === undefined ? '' : ` (client interface ${clientInterface})`}`, gap === undefined ? {} : { todo: gap }, async (t) => {
      const run = await runAgainst([flow], new Set([fault]), clientInterface)
      t.equal(run.clientInterface, clientInterface ?? 'http', 'over the client interface the variant names')
      const failed = failures(run)
      // The grid must work apart from the fault: a flow that fails everywhere (say, in setup) proves nothing.
      t.ok(checksOf(run).some((c) => c.status === 'pass'), 'the rest of the flow still passes', { failed: describe(failed) })
      t.ok(failed.length > 0, `the ${fault} variant fails at least one check`)
      t.ok(failed.some((c) => c.requirements.includes(requirement)), `a failed check carries ${requirement}`, { failed: describe(failed) })
    })
  }
}
