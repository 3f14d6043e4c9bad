// RFC 6120 §4.7: the stream header's attributes, written and read.
import { escapeXML } from 'ltx'
import { parseStanzaXml, StreamError } from '../stanza/index.ts'
import { NS_STREAM } from './ns.ts'

export interface StreamHeader {
  /** The content namespace: jabber:client, jabber:component:accept. */
  xmlns: string
  to?: string
  from?: string
  id?: string
  version?: string
  lang?: string
}

/** RFC 6120 §4.7: `<?xml?><stream:stream …>`, left open. */
export function openStreamXml (header: StreamHeader): string {
  const attrs: Array<[string, string | undefined]> = [
    ['xmlns', header.xmlns], ['xmlns:stream', NS_STREAM], ['to', header.to], ['from', header.from],
    ['id', header.id], ['version', header.version], ['xml:lang', header.lang]
  ]
  const text = attrs.filter(([, v]) => v !== undefined).map(([k, v]) => `${k}='${escapeXML(v!)}'`).join(' ')
  return `<?xml version='1.0'?><stream:stream ${text}>`
}

export const CLOSE_STREAM_XML = '</stream:stream>'

/**
 * Reads the header the framer handed over (self-closed). RFC 6120 §4.8.1: the stream element
 * must be qualified by http://etherx.jabber.org/streams, else <invalid-namespace/>.
 */
export function readStreamHeader (headerXml: string): StreamHeader {
  const el = parseStanzaXml(headerXml)
  const [prefix, local] = el.name.includes(':') ? el.name.split(':', 2) : [undefined, el.name]
  const ns = prefix === undefined ? el.attrs.xmlns : el.attrs[`xmlns:${prefix}`]
  if (local !== 'stream' || ns !== NS_STREAM) throw new StreamError('invalid-namespace', 'the stream element is not <stream:stream/> (RFC 6120 §4.8.1)')
  const header: StreamHeader = { xmlns: typeof el.attrs.xmlns === 'string' && prefix !== undefined ? el.attrs.xmlns : '' }
  for (const key of ['to', 'from', 'id', 'version'] as const) if (typeof el.attrs[key] === 'string') header[key] = el.attrs[key]
  if (typeof el.attrs['xml:lang'] === 'string') header.lang = el.attrs['xml:lang']
  return header
}
