// Every XML namespace the stanza mapping reads or writes, named once.

/** RFC 6120 §4.8.3: content namespaces a stanza may arrive in (client, server, component). */
export const NS_CLIENT = 'jabber:client'
export const NS_SERVER = 'jabber:server'
/** XEP-0114 §3 (https://xmpp.org/extensions/xep-0114.html): the component stream's namespace. */
export const NS_COMPONENT = 'jabber:component:accept'

/** RFC 6120 §8.3.2: stanza error conditions and <text/>. */
export const NS_STANZAS = 'urn:ietf:params:xml:ns:xmpp-stanzas'
/** RFC 6120 §4.9.2: stream error conditions. */
export const NS_STREAMS = 'urn:ietf:params:xml:ns:xmpp-streams'

/** XEP-0085 §10 (https://xmpp.org/extensions/xep-0085.html): chat state notifications. */
export const NS_CHATSTATES = 'http://jabber.org/protocol/chatstates'
/** XEP-0045 §19.1 (https://xmpp.org/extensions/xep-0045.html): the join marker <x/>. */
export const NS_MUC = 'http://jabber.org/protocol/muc'
/** XEP-0045 §19.1: occupant information and mediated invitations. */
export const NS_MUC_USER = 'http://jabber.org/protocol/muc#user'
/** XEP-0249 §2 (https://xmpp.org/extensions/xep-0249.html): direct MUC invitations. */
export const NS_CONFERENCE = 'jabber:x:conference'
/** XEP-0359 §3 (https://xmpp.org/extensions/xep-0359.html): <origin-id/>, the sender's own id. */
export const NS_SID = 'urn:xmpp:sid:0'
/** XEP-0203 §3 (https://xmpp.org/extensions/xep-0203.html): <delay/>, when a stanza was first sent. */
export const NS_DELAY = 'urn:xmpp:delay'

/**
 * GridIM's application-specific stanza error condition (RFC 6120 §8.3.2): an element named after
 * the GridIM error code, e.g. <agent-not-here xmlns='urn:gridim:problem'/>, mirroring the problem
 * type URN `urn:gridim:problem:<code>` used over HTTP.
 */
export const NS_GRIDIM_PROBLEM = 'urn:gridim:problem'

/** The namespaces a top-level stanza may be qualified by (or none, inherited from the stream). */
export const STANZA_NAMESPACES: ReadonlySet<string> = new Set([NS_CLIENT, NS_SERVER, NS_COMPONENT])
