// The conformance suite against the embedded reference grid, under tap: every flow a subtest,
// every outcome a test point named after the requirements it proves. The XMPP flows run against
// the runner's own simulated Jabber server (they need nothing installed), so every check is
// executable: an impossible one is a failure. The flows replay three at once, each on a grid of
// its own (run-suite.ts), which keeps the file well inside tap's per-file timeout; the grids run
// in this thread, where the coverage tool sees them (worker threads' coverage is lost to it), and
// tap runs other files on the other core. conformance-serial.test.ts shows a serial run gives the
// same results, and lane.test.ts that worker threads do.
// conformance/xmpp-{prosody,ejabberd}.test.ts run the XMPP flows again against the real servers.
import t from 'tap'
import { loadFlows } from '../tools/spec/flows.ts'
import { requirementText } from './report/requirement-text.ts'
import { runSuite } from './runner/run-suite.ts'
import { startEmbeddedTarget } from './target/embedded.ts'

const target = await startEmbeddedTarget({ xmpp: 'simulated', lanes: 'this-thread' })
t.teardown(() => target.close())
const flows = loadFlows().flows.map((f) => f.flow.id)
// Every assertion after the run: the root test must not end while the flows replay.
const run = await runSuite(target, { concurrency: 3 })
t.same(run.flows.map((f) => f.flow), flows, `all ${flows.length} flows, in flow order`)
for (const flow of run.flows) {
  t.test(`${flow.flow}: ${flow.title}`, async (t) => {
    for (const c of flow.checks) {
      const name = `step ${c.step}: ${c.outcome} [${c.requirements.join(', ')}]`
      if (c.status === 'pass') t.pass(name)
      else if (c.status === 'skip') t.pass(name, { skip: `${c.status}: ${c.message ?? ''}` })
      else t.fail(name, { status: c.status, why: c.message, requirements: c.requirements.map((id) => `${id}: ${requirementText(id)}`), trace: flow.trace.slice(-20) })
    }
  })
}
