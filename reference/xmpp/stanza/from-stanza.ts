// XML stanza → grid object. Anything that is not a known, valid stanza raises the error the
// sender should get: a StanzaError (answer the stanza, RFC 6120 §8.3) or, for something that
// is not a stanza at all, a StreamError (RFC 6120 §4.9). The caller never answers a stanza of
// type error with an error (RFC 6120 §8.3.1) and stamps `from` on client stanzas first (§8.1.2.1).
import type { Element } from 'ltx'
import type { Stanza } from '../../../openapi/stanzas/index.ts'
import { chatMessageFromStanza } from './chat-message.ts'
import { chatStateFromStanza, readChatState } from './chat-state.ts'
import { directInvitationFromStanza, findInvites, mediatedInvitationFromStanza } from './invitation.ts'
import { groupchatMessageFromStanza, isMucJoin, isMucLeave, mucJoinFromStanza, mucLeaveFromStanza } from './muc.ts'
import { NS_CONFERENCE, STANZA_NAMESPACES } from './ns.ts'
import { presenceAvailableFromStanza, presenceProbeFromStanza, presenceUnavailableFromStanza } from './presence.ts'
import { contentChild } from './read.ts'
import { messageErrorFromStanza, presenceErrorFromStanza } from './stanza-error.ts'
import { isSubscriptionType, subscriptionFromStanza } from './subscription.ts'
import { StanzaError, StreamError } from './xmpp-error.ts'

export function fromStanza (el: Element): Stanza {
  const ns = el.attrs.xmlns
  if (ns !== undefined && !STANZA_NAMESPACES.has(ns)) {
    throw new StreamError('invalid-namespace', `a stanza in namespace ${String(ns).slice(0, 64)} (RFC 6120 §4.8.3)`)
  }
  switch (el.name) {
    case 'message': return messageFromStanza(el)
    case 'presence': return presenceFromStanza(el)
    // RFC 6120 §8.4: an IQ whose payload is not understood gets <service-unavailable/>.
    case 'iq': throw new StanzaError('service-unavailable', 'no IQ payload is mapped to GridIM')
    default: throw new StreamError('unsupported-stanza-type', `<${el.name.slice(0, 64)}/> is not a stanza (RFC 6120 §4.9.3.24)`)
  }
}

/** RFC 6121 §5.2.2: the message types; an invitation wins over the fallback <body/> beside it. */
function messageFromStanza (el: Element): Stanza {
  const type = el.attrs.type
  switch (type) {
    case 'error': return messageErrorFromStanza(el)
    case 'groupchat': return groupchatMessageFromStanza(el)
    case 'headline': throw new StanzaError('feature-not-implemented', 'headline messages are not mapped')
    case undefined:
    case 'normal':
    case 'chat':
      if (findInvites(el).length > 0) return mediatedInvitationFromStanza(el)
      if (el.getChild('x', NS_CONFERENCE) !== undefined) return directInvitationFromStanza(el)
      if (contentChild(el, 'body') !== undefined) return chatMessageFromStanza(el)
      if (readChatState(el) !== undefined) return chatStateFromStanza(el)
      throw new StanzaError('feature-not-implemented', 'a message with no body, chat state or invitation')
    default: throw new StanzaError('bad-request', `unknown message type '${String(type).slice(0, 32)}' (RFC 6121 §5.2.2)`)
  }
}

/** RFC 6121 §4.7.1: the presence types; no type means available. */
function presenceFromStanza (el: Element): Stanza {
  const type = el.attrs.type
  if (isSubscriptionType(type)) return subscriptionFromStanza(el, type)
  switch (type) {
    case undefined: return isMucJoin(el) ? mucJoinFromStanza(el) : presenceAvailableFromStanza(el)
    case 'unavailable': return isMucLeave(el) ? mucLeaveFromStanza(el) : presenceUnavailableFromStanza(el)
    case 'probe': return presenceProbeFromStanza(el)
    case 'error': return presenceErrorFromStanza(el)
    default: throw new StanzaError('bad-request', `unknown presence type '${String(type).slice(0, 32)}' (RFC 6121 §4.7.1)`)
  }
}
