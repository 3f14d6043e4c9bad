// RFC 6120 §8.3: the <error/> element, and the message and presence stanzas that carry one.
import { Element } from 'ltx'
import {
  STANZA_ERROR_CONDITIONS, type MessageError, type PresenceError, type StanzaErrorCondition,
  type StanzaErrorElement, type StanzaErrorType
} from '../../../openapi/stanzas/index.ts'
import { defaultErrorType } from './error-types.ts'
import { NS_GRIDIM_PROBLEM, NS_STANZAS } from './ns.ts'
import { attrs, compact, jidAttr, optionalId } from './read.ts'

const CONDITIONS: ReadonlySet<string> = new Set(STANZA_ERROR_CONDITIONS)
const TYPES: ReadonlySet<string> = new Set<StanzaErrorType>(['auth', 'cancel', 'continue', 'modify', 'wait'])
const CODE = /^[a-z]+(?:-[a-z]+)*$/

/**
 * RFC 6120 §8.3.2: "<error type=…>", then the defined condition, then an optional <text/>, then
 * an optional application-specific condition (here the GridIM code).
 */
export function errorToElement (error: StanzaErrorElement): Element {
  const el = new Element('error', { type: error.type })
  el.c(error.condition, { xmlns: NS_STANZAS })
  if (error.text !== undefined) el.c('text', { xmlns: NS_STANZAS }).t(error.text)
  if (error.gridimCode !== undefined) el.c(error.gridimCode, { xmlns: NS_GRIDIM_PROBLEM })
  return el
}

/**
 * Reads an <error/> leniently: RFC 6120 §8.3.1 forbids answering an error with an error, so a
 * malformed one is mapped as best it can be — an unknown or missing condition becomes
 * undefined-condition, a bad type the condition's usual one, an overlong text is cut.
 */
export function errorFromElement (el: Element | undefined): StanzaErrorElement {
  const children = el?.getChildElements() ?? []
  const defined = children.find((c) => c.getNS() === NS_STANZAS && CONDITIONS.has(c.getName()))
  const condition = (defined?.getName() ?? 'undefined-condition') as StanzaErrorCondition
  const type = el?.attrs.type
  const text = children.find((c) => c.getNS() === NS_STANZAS && c.getName() === 'text')?.getText()
  const code = children.find((c) => c.getNS() === NS_GRIDIM_PROBLEM)?.getName()
  return compact<StanzaErrorElement>({
    type: TYPES.has(type) ? type : defaultErrorType(condition),
    condition,
    text: text === undefined || text === '' ? undefined : text.slice(0, 1023),
    gridimCode: code !== undefined && code.length <= 64 && CODE.test(code) ? code : undefined
  })
}

function errorStanza (name: 'message' | 'presence', stanza: MessageError | PresenceError): Element {
  const el = new Element(name, attrs({ type: 'error', from: stanza.from, to: stanza.to, id: stanza.id }))
  el.cnode(errorToElement(stanza.error))
  return el
}

/** RFC 6120 §8.3.1: a bounced message, type error, with the <error/> child. */
export function messageErrorToStanza (stanza: MessageError): Element {
  return errorStanza('message', stanza)
}

export function messageErrorFromStanza (el: Element): MessageError {
  return compact<MessageError>({
    kind: 'messageError', from: jidAttr(el, 'from'), to: jidAttr(el, 'to'), id: optionalId(el), error: errorFromElement(el.getChild('error'))
  })
}

export function presenceErrorToStanza (stanza: PresenceError): Element {
  return errorStanza('presence', stanza)
}

export function presenceErrorFromStanza (el: Element): PresenceError {
  return compact<PresenceError>({
    kind: 'presenceError', from: jidAttr(el, 'from'), to: jidAttr(el, 'to'), id: optionalId(el), error: errorFromElement(el.getChild('error'))
  })
}
