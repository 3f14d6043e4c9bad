// Parses one stanza from untrusted text: size first, then RFC 6120 §11.1's restrictions, then the
// tree. Every failure is the stream error the sender's stream is closed with (RFC 6120 §4.9.3).
import type { Element } from 'ltx'
import { buildTree } from './xml-tree.ts'
import { inlineCdata, scanStanzaXml } from './xml-scan.ts'
import { StreamError } from './xmpp-error.ts'

export interface StanzaXmlLimits {
  /** Largest stanza accepted, in bytes of UTF-8. */
  maxBytes?: number
  /** Deepest element nesting accepted; the stanza element itself is depth 1. */
  maxDepth?: number
}

export const DEFAULT_STANZA_LIMITS: Required<StanzaXmlLimits> = { maxBytes: 64 * 1024, maxDepth: 32 }

/** XML 1.0 §2.8: an XML declaration may open the text; UTF-8 is the only encoding (RFC 6120 §11.6). */
const XML_DECLARATION = /^\uFEFF?<\?xml\s+version\s*=\s*(["'])1\.0\1(?:\s+encoding\s*=\s*(["'])utf-8\2)?(?:\s+standalone\s*=\s*(["'])(?:yes|no)\3)?\s*\?>/i

/**
 * Too large or too deep: <policy-violation/> (RFC 6120 §4.9.3.14). DTDs, entity references
 * beyond the predefined five, comments, processing instructions: <restricted-xml/> (§11.1,
 * §4.9.3.18). Anything else broken: <not-well-formed/> (§4.9.3.13).
 */
export function parseStanzaXml (xml: string, limits: StanzaXmlLimits = {}): Element {
  const maxBytes = limits.maxBytes ?? DEFAULT_STANZA_LIMITS.maxBytes
  const maxDepth = limits.maxDepth ?? DEFAULT_STANZA_LIMITS.maxDepth
  // A UTF-16 code unit is never less than one byte of UTF-8, so the length is a cheap first test.
  if (xml.length > maxBytes || Buffer.byteLength(xml, 'utf8') > maxBytes) {
    throw new StreamError('policy-violation', `a stanza larger than ${maxBytes} bytes`)
  }
  const text = xml.replace(XML_DECLARATION, '')
  scanStanzaXml(text)
  return buildTree(inlineCdata(text), maxDepth)
}
