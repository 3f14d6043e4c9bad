// The deliberate user-server faults of presence: who is told a user is online, and friend rows'
// `online`; each one fails its flow under its requirement id (conformance/variants/catalogue.ts
// lists them; check-variants.ts says how they are run).
import t from 'tap'
import { checkVariants } from './check-variants.ts'

checkVariants(t, 'presence')
