// XEP-0124 §15 and XEP-0206 §7: the BOSH namespaces.
export const NS_HTTPBIND = 'http://jabber.org/protocol/httpbind'
export const NS_XBOSH = 'urn:xmpp:xbosh'
