// The deliberate user-server faults of sign-on, leases, sessions and offline messages at the user server: each one fails its flow under its requirement id
// (conformance/variants/catalogue.ts lists them; check-variants.ts says how they are run).
import t from 'tap'
import { checkVariants } from './check-variants.ts'

checkVariants(t, 'sign-on-and-leases')
