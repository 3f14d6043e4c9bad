// The deliberate faults of presence, offline messages, delivery, leases, group sessions: each one fails its flow under its requirement id
// (conformance/variants/catalogue.ts lists them; check-variants.ts says how they are run).
import t from 'tap'
import { checkVariants } from './check-variants.ts'

checkVariants(t, 'grid')
