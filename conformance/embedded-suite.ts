// The conformance suite against the embedded reference grid, under tap: every flow a subtest,
// every outcome a test point named after the requirements it proves. The XMPP flows run against
// the runner's own simulated Jabber server (they need nothing installed), so every check is
// executable: an impossible one is a failure. The flows are split over two test files, each
// with a grid of its own, so that each stays well inside tap's per-file timeout.
import type { Test } from 'tap'
import { loadFlows } from '../tools/spec/flows.ts'
import { requirementText } from './report/requirement-text.ts'
import { runSuite } from './runner/run-suite.ts'
import { startEmbeddedTarget } from './target/embedded.ts'

/** The ids of part `part` (1-based) of `parts`: consecutive slices of the flows in id order. */
export function flowsOfPart (part: number, parts: number): string[] {
  const ids = loadFlows().flows.map((f) => f.flow.id).sort()
  const size = Math.ceil(ids.length / parts)
  return ids.slice((part - 1) * size, part * size)
}

export async function testEmbeddedSuite (t: Test, part: number, parts: number): Promise<void> {
  const target = await startEmbeddedTarget({ xmpp: 'simulated' })
  t.teardown(() => target.close())
  const flows = flowsOfPart(part, parts)
  // Every assertion after the run: the root test must not end while the flows replay.
  const run = await runSuite(target, { flows })
  t.equal(run.flows.length, flows.length, `part ${part} of ${parts}: ${flows.length} flows`)
  for (const flow of run.flows) {
    t.test(`${flow.flow}: ${flow.title}`, async (t) => {
      for (const c of flow.checks) {
        const name = `step ${c.step}: ${c.outcome} [${c.requirements.join(', ')}]`
        if (c.status === 'pass') t.pass(name)
        else if (c.status === 'skip') t.pass(name, { skip: `${c.status}: ${c.message ?? ''}` })
        else t.fail(name, { status: c.status, message: c.message, requirements: c.requirements.map((id) => `${id}: ${requirementText(id)}`), trace: flow.trace.slice(-20) })
      }
    })
  }
}
