// The conformance suite against the embedded reference grid, under tap: every flow a subtest,
// every outcome a test point named after the requirements it proves. The XMPP flows run against
// the runner's own simulated Jabber server here (they need nothing installed), so every check is
// executable: an impossible one is a failure. conformance/xmpp-{prosody,ejabberd}.test.ts run the
// XMPP flows again against the real servers.
import t from 'tap'
import { runSuite } from './runner/run-suite.ts'
import { startEmbeddedTarget } from './target/embedded.ts'
import { requirementText } from './report/requirement-text.ts'

const target = await startEmbeddedTarget({ xmpp: 'simulated' })
t.teardown(() => target.close())

const run = await runSuite(target)
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
