// Anything a grid handler throws, as the stanza error that answers the stanza (GRIDIM-XMPP-30):
// the one error table for GridImError, the StanzaError's own condition, else internal (whose
// text is never exposed).
import type { StanzaErrorElement } from '../../../openapi/stanzas/index.ts'
import { GridImError } from '../../lib/errors/index.ts'
import { StanzaError, stanzaErrorElement, stanzaErrorForCode, stanzaErrorForGridImError } from '../stanza/index.ts'

export function stanzaErrorFor (error: unknown): StanzaErrorElement {
  if (error instanceof StanzaError) return stanzaErrorElement(error)
  if (error instanceof GridImError) return stanzaErrorForGridImError(error)
  return stanzaErrorForCode('internal')
}
