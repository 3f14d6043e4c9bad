// The deliberate faults of presence: who the user server tells a user is online, friend rows'
// `online`, and a region that tells its client where other users are; each one fails its flow under its requirement id (conformance/variants/catalogue.ts
// lists them; check-variants.ts says how they are run).
import t from 'tap'
import { checkVariants } from './check-variants.ts'

checkVariants(t, 'presence')
