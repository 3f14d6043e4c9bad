// The conformance suite against the embedded reference grid, first half of the flows
// (conformance/embedded-suite.ts; conformance-2.test.ts runs the rest). conformance/xmpp-{prosody,
// ejabberd}.test.ts run the XMPP flows again against the real servers.
import t from 'tap'
import { loadFlows } from '../tools/spec/flows.ts'
import { flowsOfPart, testEmbeddedSuite } from './embedded-suite.ts'

await testEmbeddedSuite(t, 1, 2)

t.test('the two parts together are every flow, once', async (t) => {
  const parts = [...flowsOfPart(1, 2), ...flowsOfPart(2, 2)]
  t.same([...parts].sort(), loadFlows().flows.map((f) => f.flow.id).sort())
  t.equal(new Set(parts).size, parts.length)
})
