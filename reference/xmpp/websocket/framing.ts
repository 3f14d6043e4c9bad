// RFC 7395 §3.3: every WebSocket message is one complete XML element, qualified on its own:
// <open/> and <close/> in the framing namespace, stanzas in jabber:client, stream-level
// elements with the stream prefix declared.
import { Element } from 'ltx'
import { NS_CLIENT, type StreamError } from '../stanza/index.ts'
import { NS_FRAMING, NS_STREAM, streamErrorElement } from '../stream/index.ts'

/** RFC 7395 §3.4: the server's <open/>, answering the client's. */
export function openElement (header: { id: string, from: string, version: string, lang?: string }): Element {
  const attrs: Record<string, string> = { xmlns: NS_FRAMING, from: header.from, id: header.id, version: header.version }
  if (header.lang !== undefined) attrs['xml:lang'] = header.lang
  return new Element('open', attrs)
}

/** RFC 7395 §3.6: <close/> ends the stream. */
export function closeElement (): Element {
  return new Element('close', { xmlns: NS_FRAMING })
}

/** RFC 7395 §3.3.3: a stanza carries its content namespace; stream elements declare the prefix. */
export function frame (el: Element): string {
  if (el.name.startsWith('stream:')) el.attrs['xmlns:stream'] = NS_STREAM
  else if (el.attrs.xmlns === undefined && (el.name === 'message' || el.name === 'presence' || el.name === 'iq')) el.attrs.xmlns = NS_CLIENT
  return el.toString()
}

/** RFC 7395 §3.6.1: a stream error is sent, then <close/>. */
export function errorFrames (error: StreamError): string[] {
  return [frame(streamErrorElement(error)), closeElement().toString()]
}

export function isFraming (el: Element, name: 'open' | 'close'): boolean {
  return el.name === name && el.attrs.xmlns === NS_FRAMING
}
