// Small values shared by several stanza families.
import { Type, type Static } from '@sinclair/typebox'

/**
 * RFC 6120 §8.1.3: the stanza id, opaque to everyone but its sender. The gateway derives GridIM
 * message ids from it, so it is bounded here (RFC 6120 sets no limit).
 */
export const StanzaId = Type.String({ minLength: 1, maxLength: 256, description: 'The stanza id attribute (RFC 6120 §8.1.3).' })
export type StanzaId = Static<typeof StanzaId>

/**
 * RFC 6121 §5.2.3 <body/>, bounded like a GridIM IM body: 1..1023 bytes of UTF-8. The schema
 * can only count characters; senders and receivers also check the bytes.
 */
export const Body = Type.String({ minLength: 1, maxLength: 1023, description: 'Message text, 1..1023 bytes of UTF-8.' })
export type Body = Static<typeof Body>

/** Human-readable text that travels with a stanza: presence <status/>, an invitation reason. */
export const Text = Type.String({ minLength: 1, maxLength: 1023 })
export type Text = Static<typeof Text>

/** RFC 6121 §5.2.5 <thread/>: an opaque conversation identifier. */
export const ThreadId = Type.String({ minLength: 1, maxLength: 256, description: 'The conversation thread (RFC 6121 §5.2.5).' })
export type ThreadId = Static<typeof ThreadId>

/** XEP-0082 §3.2 DateTime, as XEP-0203 `<delay stamp/>` carries it: UTC or with an offset. */
export const DateTimeStamp = Type.String({
  pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$',
  description: 'An XEP-0082 DateTime, e.g. 2025-01-01T00:00:00Z.'
})
export type DateTimeStamp = Static<typeof DateTimeStamp>
