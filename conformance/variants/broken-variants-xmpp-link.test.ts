// The deliberate faults of the gateway's component link: each fails its flow under its
// requirement id when the runner, as the Jabber server, breaks, silences or refuses the link
// (conformance/variants/catalogue.ts lists them; check-variants.ts says how they are run).
import t from 'tap'
import { checkVariants } from './check-variants.ts'

checkVariants(t, 'xmpp-link')
