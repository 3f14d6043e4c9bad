// The deliberate region faults of dealing with peers: repeats from the user server, a peer region
// that fails once and then recovers, answers the reference never gives itself; each one fails its
// flow under its requirement id (conformance/variants/catalogue.ts lists them; check-variants.ts
// says how they are run). Apart from broken-variants.test.ts so that each file stays well
// inside tap's per-file timeout.
import t from 'tap'
import { checkVariants } from './check-variants.ts'

checkVariants(t, 'peers')
