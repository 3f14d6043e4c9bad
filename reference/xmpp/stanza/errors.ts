// GRIDIM-ERR: the XMPP side of the one error table (reference/lib/errors). GridIM code → stanza
// error comes from that table; the reverse direction is defined here for every RFC 6120 §8.3.3
// condition, refined by GridIM's application-specific condition when a peer sent one.
import type { StanzaErrorCondition, StanzaErrorElement } from '../../../openapi/stanzas/index.ts'
import { ERROR_CODES, GridImError, isErrorCode, type ErrorCode } from '../../lib/errors/index.ts'
import type { StanzaError } from './xmpp-error.ts'

/** For a condition shared by several codes, the one a bare condition most likely means. */
const CODE_FOR_CONDITION: Record<StanzaErrorCondition, ErrorCode> = {
  'bad-request': 'invalid-request',
  conflict: 'already-friends',
  'feature-not-implemented': 'unknown-operation',
  forbidden: 'forbidden',
  gone: 'group-session-closed',
  'internal-server-error': 'internal',
  'item-not-found': 'unknown-user',
  'jid-malformed': 'invalid-request',
  'not-acceptable': 'message-too-long',
  'not-allowed': 'forbidden',
  'not-authorized': 'unauthenticated',
  'policy-violation': 'body-too-large',
  'recipient-unavailable': 'agent-not-here',
  redirect: 'unavailable',
  'registration-required': 'forbidden',
  'remote-server-not-found': 'lease-expired',
  'remote-server-timeout': 'unavailable',
  'resource-constraint': 'rate-limited',
  'service-unavailable': 'unavailable',
  'subscription-required': 'not-friends',
  'undefined-condition': 'internal',
  'unexpected-request': 'invalid-request'
}

/**
 * The <error/> for a GridIM error code, naming the code as the application-specific condition
 * (RFC 6120 §8.3.2). Like problem details, the text of a 5xx error is never exposed.
 */
export function stanzaErrorForCode (code: ErrorCode, text?: string): StanzaErrorElement {
  const { status, xmpp } = ERROR_CODES[code]
  const error: StanzaErrorElement = { type: xmpp.type, condition: xmpp.condition, gridimCode: code }
  if (text !== undefined && text !== '' && status < 500) error.text = text
  return error
}

/** The GridIM code for a stanza error: the one it names if known, else the condition's default. */
export function codeForStanzaError (error: Pick<StanzaErrorElement, 'condition' | 'gridimCode'>): ErrorCode {
  if (isErrorCode(error.gridimCode)) return error.gridimCode
  return CODE_FOR_CONDITION[error.condition]
}

export function stanzaErrorForGridImError (error: GridImError): StanzaErrorElement {
  return stanzaErrorForCode(error.code, error.message === ERROR_CODES[error.code].title ? undefined : error.message)
}

export function gridImErrorForStanzaError (error: StanzaErrorElement): GridImError {
  return new GridImError(codeForStanzaError(error), error.text)
}

/** A StanzaError thrown while reading a stanza, as the <error/> to answer it with. */
export function stanzaErrorElement (error: StanzaError): StanzaErrorElement {
  const element: StanzaErrorElement = { type: error.type, condition: error.condition }
  if (error.text !== undefined && error.text !== '') element.text = error.text.slice(0, 1023)
  return element
}
