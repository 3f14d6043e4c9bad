// RFC 6120 §4.9: stream errors, written and read.
import { Element } from 'ltx'
import { StreamError, type StreamErrorCondition } from '../stanza/index.ts'
import { NS_XMPP_STREAMS } from './ns.ts'

/** RFC 6120 §4.9.2: `<stream:error>` with the condition and an optional <text/>. */
export function streamErrorElement (error: StreamError): Element {
  const el = new Element('stream:error')
  el.c(error.condition, { xmlns: NS_XMPP_STREAMS })
  if (error.text !== undefined) el.c('text', { xmlns: NS_XMPP_STREAMS }).t(error.text.slice(0, 1023))
  return el
}

/** A peer's `<stream:error>` as a typed StreamError (unknown conditions: undefined-condition). */
export function readStreamError (el: Element): StreamError {
  const children = el.getChildElements()
  const condition = children.find((c) => c.getName() !== 'text' && c.getNS() === NS_XMPP_STREAMS)?.getName() ?? 'undefined-condition'
  const text = children.find((c) => c.getName() === 'text')?.getText()
  return new StreamError(condition as StreamErrorCondition, text === '' ? undefined : text)
}

/** Anything thrown while handling a stream, as the stream error that closes it. */
export function asStreamError (error: unknown): StreamError {
  if (error instanceof StreamError) return error
  return new StreamError('internal-server-error')
}
