// Namespaces of stream negotiation and the IQs the c2s layer answers itself.
export const NS_SASL = 'urn:ietf:params:xml:ns:xmpp-sasl'
export const NS_BIND = 'urn:ietf:params:xml:ns:xmpp-bind'
/** RFC 3921 §3 session establishment, advertised as optional (RFC 6121 Appendix E). */
export const NS_SESSION = 'urn:ietf:params:xml:ns:xmpp-session'
export const NS_ROSTER = 'jabber:iq:roster'
export const NS_DISCO_INFO = 'http://jabber.org/protocol/disco#info'
export const NS_PING = 'urn:xmpp:ping'
