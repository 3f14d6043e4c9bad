// One error root for the XMPP side, as in xmpp.js: a condition, optional text; subclasses only
// set their name (and, for stanza errors, the error type).
import type { StanzaErrorCondition, StanzaErrorType } from '../../../openapi/stanzas/index.ts'
import { defaultErrorType } from './error-types.ts'

export class XmppError extends Error {
  readonly condition: string
  readonly text?: string

  constructor (condition: string, text?: string) {
    super(text === undefined ? condition : `${condition}: ${text}`)
    this.name = 'XmppError'
    this.condition = condition
    if (text !== undefined) this.text = text
  }
}

/** RFC 6120 §8.3: an error the offending stanza is answered with; the stream stays up. */
export class StanzaError extends XmppError {
  declare readonly condition: StanzaErrorCondition
  readonly type: StanzaErrorType

  constructor (condition: StanzaErrorCondition, text?: string, type: StanzaErrorType = defaultErrorType(condition)) {
    super(condition, text)
    this.name = 'StanzaError'
    this.type = type
  }
}

/** RFC 6120 §4.9.3: the stream error conditions. */
export type StreamErrorCondition =
  | 'bad-format' | 'bad-namespace-prefix' | 'conflict' | 'connection-timeout' | 'host-gone'
  | 'host-unknown' | 'improper-addressing' | 'internal-server-error' | 'invalid-from'
  | 'invalid-namespace' | 'invalid-xml' | 'not-authorized' | 'not-well-formed' | 'policy-violation'
  | 'remote-connection-failed' | 'reset' | 'resource-constraint' | 'restricted-xml' | 'see-other-host'
  | 'system-shutdown' | 'undefined-condition' | 'unsupported-encoding' | 'unsupported-feature'
  | 'unsupported-stanza-type' | 'unsupported-version'

/** RFC 6120 §4.9: an error that closes the stream, e.g. hostile or broken XML. */
export class StreamError extends XmppError {
  declare readonly condition: StreamErrorCondition

  constructor (condition: StreamErrorCondition, text?: string) {
    super(condition, text)
    this.name = 'StreamError'
  }
}
