// The deliberate user-server faults of group sessions at the user server: membership, answers, closing, size: each one fails its flow under its requirement id
// (conformance/variants/catalogue.ts lists them; check-variants.ts says how they are run).
import t from 'tap'
import { checkVariants } from './check-variants.ts'

checkVariants(t, 'group-sessions')
