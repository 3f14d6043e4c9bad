// The stream-level namespaces (RFC 6120 §4.8.1, §4.9.2; RFC 7395 §3.3.1).
export const NS_STREAM = 'http://etherx.jabber.org/streams'
export const NS_XMPP_STREAMS = 'urn:ietf:params:xml:ns:xmpp-streams'
export const NS_FRAMING = 'urn:ietf:params:xml:ns:xmpp-framing'
