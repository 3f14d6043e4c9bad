// The deliberate faults of the client stream (the WebSocket of spec chapter 10): hello and its
// cursor, acks, de-duplication and refs, and the end of the session; each one fails its flow
// under its requirement id (conformance/variants/catalogue.ts lists them; check-variants.ts says
// how they are run).
import t from 'tap'
import { checkVariants } from './check-variants.ts'

checkVariants(t, 'client-stream')
