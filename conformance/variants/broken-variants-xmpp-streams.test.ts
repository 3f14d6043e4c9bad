// The deliberate faults of what XMPP clients see beyond stanzas: stream errors, BOSH terminate
// conditions, roster results and pushes, disco#info; each one fails its flow under its
// requirement id (conformance/variants/catalogue.ts lists them; check-variants.ts says how they are run).
import t from 'tap'
import { checkVariants } from './check-variants.ts'

checkVariants(t, 'xmpp-streams')
