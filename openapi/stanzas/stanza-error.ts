// RFC 6120 §8.3: stanza errors. The <error/> element is described once and embedded in the
// message and presence error stanzas; `stanza-error` publishes it on its own.
import { CloneType, Type, type Static } from '@sinclair/typebox'
import { Jid } from './jid.ts'
import { StanzaId } from './common.ts'

/** RFC 6120 §8.3.2: what the sender should do next. */
export const StanzaErrorType = Type.Union([
  Type.Literal('auth'), Type.Literal('cancel'), Type.Literal('continue'),
  Type.Literal('modify'), Type.Literal('wait')
], { description: 'The error type (RFC 6120 §8.3.2).' })
export type StanzaErrorType = Static<typeof StanzaErrorType>

/** RFC 6120 §8.3.3: the defined conditions, in the RFC's order. */
export const STANZA_ERROR_CONDITIONS = [
  'bad-request', 'conflict', 'feature-not-implemented', 'forbidden', 'gone', 'internal-server-error',
  'item-not-found', 'jid-malformed', 'not-acceptable', 'not-allowed', 'not-authorized', 'policy-violation',
  'recipient-unavailable', 'redirect', 'registration-required', 'remote-server-not-found',
  'remote-server-timeout', 'resource-constraint', 'service-unavailable', 'subscription-required',
  'undefined-condition', 'unexpected-request'
] as const

export const StanzaErrorCondition = Type.Union(
  STANZA_ERROR_CONDITIONS.map((condition) => Type.Literal(condition)),
  { description: 'A defined stanza error condition (RFC 6120 §8.3.3).' }
)
export type StanzaErrorCondition = (typeof STANZA_ERROR_CONDITIONS)[number]

/**
 * RFC 6120 §8.3.2: <error type=…><condition xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>
 * <text/></error>. `gridimCode` is the application-specific condition (§8.3.2, last child)
 * that names the exact GridIM error code, so a GridIM peer can map the error back losslessly.
 */
export const StanzaErrorElement = Type.Object({
  type: StanzaErrorType,
  condition: StanzaErrorCondition,
  text: Type.Optional(Type.String({ minLength: 1, maxLength: 1023 })),
  gridimCode: Type.Optional(Type.String({ pattern: '^[a-z]+(?:-[a-z]+)*$', maxLength: 64 }))
}, { additionalProperties: false })
export type StanzaErrorElement = Static<typeof StanzaErrorElement>

/** The <error/> element on its own, as published in the record of stanza schemas. */
export const StanzaError = CloneType(StanzaErrorElement, { $id: 'urn:gridim:stanza:stanza-error' })

/** RFC 6120 §8.3.1: a message bounced with an error; `id` repeats the offending stanza's id. */
export const MessageError = Type.Object({
  kind: Type.Literal('messageError'),
  from: Jid,
  to: Jid,
  id: Type.Optional(StanzaId),
  error: StanzaErrorElement
}, { $id: 'urn:gridim:stanza:message-error', additionalProperties: false })
export type MessageError = Static<typeof MessageError>

/** RFC 6120 §8.3.1 for presence, e.g. a subscription to an unknown user (RFC 6121 §3.1.3). */
export const PresenceError = Type.Object({
  kind: Type.Literal('presenceError'),
  from: Jid,
  to: Jid,
  id: Type.Optional(StanzaId),
  error: StanzaErrorElement
}, { $id: 'urn:gridim:stanza:presence-error', additionalProperties: false })
export type PresenceError = Static<typeof PresenceError>
