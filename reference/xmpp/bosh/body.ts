// XEP-0124 (https://xmpp.org/extensions/xep-0124.html): the <body/> wrapper, read from a
// request and written for a response.
import { Element } from 'ltx'
import { StreamError, parseStanzaXml } from '../stanza/index.ts'
import { NS_STREAM, streamErrorElement } from '../stream/index.ts'
import { NS_HTTPBIND, NS_XBOSH } from './ns.ts'

/** XEP-0124 §17.2 terminal binding conditions the gateway uses. */
export type TerminalCondition = 'bad-request' | 'item-not-found' | 'policy-violation' | 'remote-stream-error' | 'host-unknown' | 'undefined-condition'

/** A stanza at most 64 KiB, inside a body at most 128 KiB (GRIDIM-LIM-11), one level deeper. */
export const BODY_LIMITS = { maxBytes: 131_072, maxDepth: 33 }

export class BoshError extends Error {
  constructor (readonly condition: TerminalCondition, text?: string, readonly streamError?: StreamError) {
    super(text ?? condition)
    this.name = 'BoshError'
  }
}

/**
 * The request body as an element. Not well-formed: `bad-request` (GRIDIM-XMPP-44); too large:
 * `policy-violation` (GRIDIM-LIM-11); forbidden XML (DTDs, entities, comments): the stream
 * ends with the <restricted-xml/> stream error (GRIDIM-XMPP-43). Not a BOSH body: bad-request.
 */
export function readBody (text: string): Element {
  let el: Element
  try {
    el = parseStanzaXml(text, BODY_LIMITS)
  } catch (error) {
    if (!(error instanceof StreamError)) throw error
    if (error.condition === 'policy-violation') throw new BoshError('policy-violation', error.text)
    if (error.condition === 'restricted-xml') throw new BoshError('remote-stream-error', error.text, error)
    throw new BoshError('bad-request', error.text)
  }
  if (el.name !== 'body' || el.attrs.xmlns !== NS_HTTPBIND) throw new BoshError('bad-request', 'the root is not <body xmlns="http://jabber.org/protocol/httpbind"/> (XEP-0124 §4)')
  return el
}

/** XEP-0124 §5: "rid" is a positive integer below 2^53. */
export function readRid (body: Element): number {
  const rid = body.attrs.rid
  if (typeof rid !== 'string' || !/^[0-9]{1,16}$/.test(rid) || Number(rid) > Number.MAX_SAFE_INTEGER) throw new BoshError('bad-request', "a missing or invalid 'rid' (XEP-0124 §5)")
  return Number(rid)
}

/** An optional non-negative integer attribute (wait, hold, …). */
export function readCount (body: Element, name: string): number | undefined {
  const value = body.attrs[name]
  if (value === undefined) return undefined
  if (typeof value !== 'string' || !/^[0-9]{1,9}$/.test(value)) throw new BoshError('bad-request', `an invalid '${name}' attribute (XEP-0124 §7.1)`)
  return Number(value)
}

/** A response <body/>; the stream prefix is declared whenever a child uses it (<stream:features/>). */
export function responseBody (attrs: Record<string, string> = {}, children: Element[] = []): Element {
  const body = new Element('body', { xmlns: NS_HTTPBIND, ...attrs })
  for (const child of children) body.cnode(child)
  if (children.some((child) => child.name.startsWith('stream:'))) body.attrs['xmlns:stream'] = NS_STREAM
  return body
}

/** XEP-0124 §17.2 / XEP-0206 §6: the terminating body, carrying the stream error if any. */
export function terminateBody (condition?: TerminalCondition, streamError?: StreamError): Element {
  if (streamError !== undefined) {
    const error = streamErrorElement(streamError)
    return responseBody({ type: 'terminate', condition: 'remote-stream-error', 'xmlns:stream': NS_STREAM }, [error])
  }
  return responseBody({ type: 'terminate', ...(condition === undefined ? {} : { condition }) })
}

/** XEP-0124 §7.2 with XEP-0206 §5: the session creation response's attributes. */
export function creationAttrs (values: { sid: string, wait: number, requests: number, hold: number, inactivity: number, polling: number, from: string, authid: string }): Record<string, string> {
  return {
    'xmlns:xmpp': NS_XBOSH,
    'xmlns:stream': NS_STREAM,
    sid: values.sid,
    wait: String(values.wait),
    requests: String(values.requests),
    hold: String(values.hold),
    inactivity: String(values.inactivity),
    polling: String(values.polling),
    ver: '1.11',
    from: values.from,
    authid: values.authid,
    'xmpp:version': '1.0'
  }
}
