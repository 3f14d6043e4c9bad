// RFC 6120 §11.1: what a stanza may not contain, checked on the raw text before parsing, because
// ltx's parser skips DTDs, comments and processing instructions instead of refusing them.
import { escapeXMLText } from 'ltx'
import { StreamError } from './xmpp-error.ts'

/** Any markup declaration: the way into entity expansion ("billion laughs") and external entities. */
const DTD = /<!\s*(?:DOCTYPE|ENTITY|ELEMENT|ATTLIST|NOTATION)/i
const CDATA = /<!\[CDATA\[[\s\S]*?\]\]>/g
const REFERENCE = /&(#x[0-9A-Fa-f]+|#[0-9]+|[A-Za-z_:][A-Za-z0-9._:-]*)?(;)?/g
const PREDEFINED: ReadonlySet<string> = new Set(['amp', 'lt', 'gt', 'quot', 'apos'])
/** XML 1.0 §2.2 Char, as UTF-16: no C0 controls but tab/LF/CR, no U+FFFE/FFFF, no lone surrogates. */
const ILLEGAL_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/**
 * CDATA sections as escaped character data. ltx's parser drops any text that follows a CDATA
 * section inside the same element, so it is never given one.
 */
export function inlineCdata (xml: string): string {
  return xml.replace(CDATA, (section) => escapeXMLText(section.slice('<![CDATA['.length, -']]>'.length)))
}

function restricted (what: string): StreamError {
  return new StreamError('restricted-xml', `${what} are not allowed in XMPP (RFC 6120 §11.1)`)
}

function isXmlChar (code: number): boolean {
  return code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff)
}

/** RFC 6120 §11.1: only the five predefined entities and character references may be used. */
function checkReference (name: string | undefined, semicolon: string | undefined): void {
  if (name === undefined || semicolon === undefined) throw new StreamError('not-well-formed', "a bare '&' (XML 1.0 §2.4)")
  if (name.startsWith('#')) {
    const code = name[1] === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10)
    if (!isXmlChar(code)) throw new StreamError('not-well-formed', `&${name}; is not an XML character`)
    return
  }
  if (!PREDEFINED.has(name)) throw restricted('entity references other than the five predefined ones')
}

/**
 * "An XML stanza MUST NOT contain … comments, processing instructions, internal or external DTD
 * subsets, internal or external entity references (with the exception of the predefined
 * entities)" — RFC 6120 §11.1; the receiver closes the stream with <restricted-xml/>.
 */
export function scanStanzaXml (xml: string): void {
  if (DTD.test(xml)) throw restricted('DTDs and entity declarations')
  if (ILLEGAL_CHAR.test(xml)) throw new StreamError('not-well-formed', 'a character XML 1.0 does not allow')
  const outsideCdata = xml.replace(CDATA, '')
  if (outsideCdata.includes('<!--')) throw restricted('comments')
  if (outsideCdata.includes('<?')) throw restricted('processing instructions')
  if (outsideCdata.includes('<!')) throw new StreamError('not-well-formed', 'an unterminated CDATA section or a stray <!')
  if (outsideCdata.includes(']]>')) throw new StreamError('not-well-formed', "']]>' outside a CDATA section (XML 1.0 §2.4)")
  for (const match of outsideCdata.matchAll(REFERENCE)) checkReference(match[1], match[2])
}
