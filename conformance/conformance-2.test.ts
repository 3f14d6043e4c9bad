// The conformance suite against the embedded reference grid, second half of the flows
// (conformance/embedded-suite.ts; conformance.test.ts runs the first).
import t from 'tap'
import { testEmbeddedSuite } from './embedded-suite.ts'

await testEmbeddedSuite(t, 2, 2)
