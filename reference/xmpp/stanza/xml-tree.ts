// Builds the element tree from ltx's SAX events, checking what ltx's own tree builder lets
// through: mismatched end tags, a second root, text outside the root, bad names, and depth.
import type { EventEmitter } from 'node:events'
import { Element } from 'ltx'
import SaxModule from 'ltx/src/parsers/ltx.js'
import { StreamError } from './xmpp-error.ts'

type SaxParser = EventEmitter & { write (data: string): void, end (): void }
// @types/ltx types this ES module as CommonJS, so its default export is re-typed here.
const SaxLtx = SaxModule as unknown as new () => SaxParser

/** XML 1.0 §2.3 Name, simplified to the ASCII rules plus everything from U+00C0 up. */
const NAME = /^[A-Za-z_:\u00C0-\uFFFF][A-Za-z0-9._:\-\u00B7\u00C0-\uFFFF]*$/

function notWellFormed (text: string): StreamError {
  return new StreamError('not-well-formed', text)
}

function checkName (name: string): void {
  if (!NAME.test(name)) throw notWellFormed(`'${name.slice(0, 64)}' is not an XML name`)
}

/** One root element, at most `maxDepth` levels deep (policy-violation beyond, RFC 6120 §4.9.3.14). */
export function buildTree (xml: string, maxDepth: number): Element {
  const sax = new SaxLtx()
  let root: Element | undefined
  let current: Element | undefined
  let depth = 0

  sax.on('startElement', (name: string, attributes: Record<string, string>) => {
    if (root !== undefined && current === undefined) throw notWellFormed('more than one root element')
    checkName(name)
    for (const attribute of Object.keys(attributes)) checkName(attribute)
    if (++depth > maxDepth) throw new StreamError('policy-violation', `elements nested deeper than ${maxDepth}`)
    const el = new Element(name, attributes)
    if (current === undefined) root = el
    else current.cnode(el)
    current = el
  })
  sax.on('endElement', (name: string) => {
    if (current === undefined || current.name !== name) throw notWellFormed(`unexpected </${name.slice(0, 64)}>`)
    depth--
    current = current.parent ?? undefined
  })
  sax.on('text', (text: string) => {
    if (current !== undefined) current.t(text)
    else if (text.trim() !== '') throw notWellFormed('text outside the root element')
  })

  try {
    sax.write(xml)
    sax.end()
  } catch (error) {
    if (error instanceof StreamError) throw error
    throw notWellFormed(error instanceof Error ? error.message : String(error))
  }
  // ltx reports text only when the next '<' arrives, so trailing text is checked here.
  if (xml.slice(xml.lastIndexOf('>') + 1).trim() !== '') throw notWellFormed('text after the root element')
  if (root === undefined || current !== undefined) throw notWellFormed('the stanza is incomplete (an element is not closed)')
  return root
}
