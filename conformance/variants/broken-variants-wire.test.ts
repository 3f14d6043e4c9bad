// The deliberate faults of what goes on the wire between roles: identifiers and timestamps in the
// contract's forms, problem details and their status codes, methods and body limits, and held
// answers; each one fails its flow under its requirement id (conformance/variants/catalogue.ts
// lists them; check-variants.ts says how they are run).
import t from 'tap'
import { checkVariants } from './check-variants.ts'

checkVariants(t, 'wire')
