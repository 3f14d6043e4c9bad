// The XMPP flows against the reference gateway linked to a real Prosody (issue 5; seed steps 4,
// 10–13). A missing Prosody fails; GRIDIM_SKIP_XMPP_SERVERS=1 skips on purpose.
import { testXmppFlows } from './xmpp-flows.ts'

testXmppFlows('prosody')
