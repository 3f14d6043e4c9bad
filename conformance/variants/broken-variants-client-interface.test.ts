// The deliberate faults of the client interface: long polls and event streams, rate limits, and
// the timers a client's activity resets or the directory sets; each one fails its flow under its
// requirement id (conformance/variants/catalogue.ts lists them; check-variants.ts says how they are run).
import t from 'tap'
import { checkVariants } from './check-variants.ts'

checkVariants(t, 'client-interface')
