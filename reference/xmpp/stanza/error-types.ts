// RFC 6120 §8.3.3: the error type each defined condition is shown with in the RFC's examples,
// used when nothing more specific (a GridIM code) decides it.
import type { StanzaErrorCondition, StanzaErrorType } from '../../../openapi/stanzas/index.ts'

const DEFAULT_TYPES: Record<StanzaErrorCondition, StanzaErrorType> = {
  'bad-request': 'modify',
  conflict: 'cancel',
  'feature-not-implemented': 'cancel',
  forbidden: 'auth',
  gone: 'cancel',
  'internal-server-error': 'cancel',
  'item-not-found': 'cancel',
  'jid-malformed': 'modify',
  'not-acceptable': 'modify',
  'not-allowed': 'cancel',
  'not-authorized': 'auth',
  'policy-violation': 'modify',
  'recipient-unavailable': 'wait',
  redirect: 'modify',
  'registration-required': 'auth',
  'remote-server-not-found': 'cancel',
  'remote-server-timeout': 'wait',
  'resource-constraint': 'wait',
  'service-unavailable': 'cancel',
  'subscription-required': 'auth',
  'undefined-condition': 'cancel',
  'unexpected-request': 'wait'
}

export function defaultErrorType (condition: StanzaErrorCondition): StanzaErrorType {
  return DEFAULT_TYPES[condition]
}
