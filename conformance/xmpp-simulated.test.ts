// The XMPP flows against the reference gateway linked to the runner's own simulated Jabber server
// (conformance/jabber): what a gateway under test meets when its target file says
// `jabberServer: { simulated: true, … }`. Every check must pass, as against Prosody and ejabberd.
import { testXmppFlows } from './xmpp-flows.ts'

testXmppFlows('simulated')
