// The JSON form of every stanza the gateway exchanges: one TypeBox schema per stanza, the single
// source of truth. tools/generate emits each entry of `stanzaSchemas` as a JSON Schema file.
import type { Static } from '@sinclair/typebox'
import { ChatMessage } from './chat-message.ts'
import { ChatState } from './chat-state.ts'
import { DirectInvitation, MucInvitation, MucInvite } from './invitation.ts'
import { DiscoInfoQuery, DiscoInfoResult, RosterPush, RosterResult } from './iq.ts'
import { GroupchatMessage, MucJoin, MucLeave } from './muc.ts'
import { PresenceAvailable, PresenceProbe, PresenceUnavailable } from './presence.ts'
import { MessageError, PresenceError, StanzaError } from './stanza-error.ts'
import { PresenceSubscribe, PresenceSubscribed, PresenceUnsubscribe, PresenceUnsubscribed } from './subscription.ts'

export * from './jid.ts'
export * from './common.ts'
export * from './chat-message.ts'
export * from './chat-state.ts'
export * from './presence.ts'
export * from './subscription.ts'
export * from './muc.ts'
export * from './invitation.ts'
export * from './stanza-error.ts'
export * from './iq.ts'

/** Name → schema; each schema's $id is `urn:gridim:stanza:<name>`. */
export const stanzaSchemas = {
  'chat-message': ChatMessage,
  'chat-state': ChatState,
  'groupchat-message': GroupchatMessage,
  'message-error': MessageError,
  'presence-available': PresenceAvailable,
  'presence-unavailable': PresenceUnavailable,
  'presence-probe': PresenceProbe,
  'presence-subscribe': PresenceSubscribe,
  'presence-subscribed': PresenceSubscribed,
  'presence-unsubscribe': PresenceUnsubscribe,
  'presence-unsubscribed': PresenceUnsubscribed,
  'presence-error': PresenceError,
  'muc-join': MucJoin,
  'muc-leave': MucLeave,
  'muc-invite': MucInvite,
  'muc-invitation': MucInvitation,
  'direct-invitation': DirectInvitation,
  'stanza-error': StanzaError
} as const

/** Every stanza the gateway maps, discriminated by `kind` (the <error/> element is not a stanza). */
export type Stanza = Static<(typeof stanzaSchemas)[Exclude<keyof typeof stanzaSchemas, 'stanza-error'>]>
export type StanzaKind = Stanza['kind']

/** The <iq/> exchanges a flow observes (iq.ts), apart from the stanzas the gateway maps: name → schema, $id `urn:gridim:stanza:<name>`. */
export const iqSchemas = {
  'roster-result': RosterResult,
  'roster-push': RosterPush,
  'disco-info-query': DiscoInfoQuery,
  'disco-info-result': DiscoInfoResult
} as const

export type IqStanza = Static<(typeof iqSchemas)[keyof typeof iqSchemas]>
