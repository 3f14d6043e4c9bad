// Splits an XML stream (RFC 6120 §4) into its parts as they arrive: the stream header, each
// top-level element's text (handed whole to parseStanzaXml), whitespace keep-alives and the
// closing tag. It buffers at most one element and never more than `maxStanzaBytes` of it
// (GRIDIM-LIM-11, GRIDIM-XMPP-45); anything RFC 6120 §11.1 forbids is refused on sight.
import { StreamError } from '../stanza/index.ts'

export interface FramerEvents {
  /** The opening tag `<stream:stream …>` as a self-closed element's text, e.g. for its attributes. */
  open (headerXml: string): void
  /** One complete top-level element (a stanza, or a nonza such as <handshake/>). */
  element (xml: string): void
  /** The closing `</stream:stream>`. */
  close (): void
}

const XML_DECLARATION_END = '?>'
const WHITESPACE = /^[ \t\r\n]*/
const TAG_NAME = /^<\/?([^\s/>]+)/

function tagName (tag: string): string {
  const name = TAG_NAME.exec(tag)?.[1]
  if (name === undefined) throw new StreamError('not-well-formed', 'a tag without a name')
  return name
}

function restricted (what: string): StreamError {
  return new StreamError('restricted-xml', `${what} are not allowed in XMPP (RFC 6120 §11.1)`)
}

/** The index just past the '>' that ends the tag starting at `start`, skipping quoted values; -1 if not yet here. */
function tagEnd (text: string, start: number): number {
  let quote = ''
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i]
    if (quote !== '') { if (c === quote) quote = '' } else if (c === '"' || c === "'") quote = c
    else if (c === '>') return i + 1
    else if (c === '<') throw new StreamError('not-well-formed', "a '<' inside a tag")
  }
  return -1
}

export class XmlStreamFramer {
  private text = ''
  /** Where scanning resumes in `text`. */
  private pos = 0
  /** Names of the open elements of the current top-level element; empty between elements. */
  private readonly open: string[] = []
  private streamName = ''
  private opened = false
  private closed = false

  constructor (private readonly events: FramerEvents, private readonly maxStanzaBytes = 65_536) {}

  /** Feeds decoded text; throws the StreamError the stream must be closed with. */
  push (chunk: string): void {
    if (this.closed) return
    this.text += chunk
    this.scan()
    this.checkSize()
  }

  private checkSize (): void {
    const { text, maxStanzaBytes } = this
    if (text.length > maxStanzaBytes || (text.length * 3 > maxStanzaBytes && Buffer.byteLength(text, 'utf8') > maxStanzaBytes)) {
      throw new StreamError('policy-violation', `a stanza larger than ${maxStanzaBytes} bytes (GRIDIM-LIM-11)`)
    }
  }

  /** Drops the consumed prefix. */
  private consume (upTo: number): void {
    this.text = this.text.slice(upTo)
    this.pos = 0
  }

  private scan (): void {
    while (!this.closed) {
      if (this.open.length === 0) {
        const ws = WHITESPACE.exec(this.text.slice(this.pos))![0].length
        if (ws > 0) this.consume(this.pos + ws)
        if (this.text === '') return
        if (this.text[0] !== '<') throw new StreamError('bad-format', 'character data between stanzas (RFC 6120 §4.7)')
      } else {
        const lt = this.text.indexOf('<', this.pos)
        if (lt === -1) { this.pos = this.text.length; return }
        this.pos = lt
      }
      if (!this.markup()) return
    }
  }

  /** Handles the markup at `pos`; false when it is not complete yet. */
  private markup (): boolean {
    const { text, pos } = this
    if (text.length < pos + 9 && '<![CDATA['.startsWith(text.slice(pos, pos + 9))) return false
    if (text.startsWith('<![CDATA[', pos)) {
      if (this.open.length === 0) throw new StreamError('bad-format', 'a CDATA section between stanzas')
      const end = text.indexOf(']]>', pos)
      if (end === -1) return false
      this.pos = end + 3
      return true
    }
    if (text.startsWith('<?', pos)) return this.declaration()
    if (text.startsWith('<!', pos)) throw restricted('DTDs, comments and markup declarations')
    if (text.length === pos + 1) return false
    const end = tagEnd(text, pos)
    if (end === -1) return false
    const tag = text.slice(pos, end)
    if (tag.startsWith('</')) this.endTag(tag, end)
    else this.startTag(tag, end)
    return true
  }

  /** XML 1.0 §2.8: only the XML declaration, only before the stream header. */
  private declaration (): boolean {
    const head = this.text.slice(this.pos, this.pos + 5)
    if (head.length < 5 && '<?xml'.startsWith(head) && !this.opened) return false
    if (this.opened || this.open.length > 0 || head !== '<?xml') throw restricted('processing instructions')
    const end = this.text.indexOf(XML_DECLARATION_END, this.pos)
    if (end === -1) return this.text.length < 256 ? false : (() => { throw new StreamError('not-well-formed', 'an unterminated XML declaration') })()
    this.consume(end + 2)
    return true
  }

  private startTag (tag: string, end: number): void {
    const selfClosing = tag.endsWith('/>')
    if (!this.opened) {
      if (selfClosing) throw new StreamError('bad-format', 'the stream header must not be self-closed (RFC 6120 §4.2)')
      this.opened = true
      this.streamName = tagName(tag)
      this.consume(end)
      this.events.open(tag.slice(0, -1) + '/>')
      return
    }
    if (selfClosing) {
      if (this.open.length === 0) return this.emitElement(end)
      this.pos = end
      return
    }
    this.open.push(tagName(tag))
    this.pos = end
  }

  private endTag (tag: string, end: number): void {
    const name = tagName(tag)
    if (this.open.length === 0) {
      if (name !== this.streamName) throw new StreamError('not-well-formed', `</${name.slice(0, 64)}> does not close the stream`)
      this.closed = true
      this.consume(end)
      this.events.close()
      return
    }
    if (this.open.pop() !== name) throw new StreamError('not-well-formed', `unexpected </${name.slice(0, 64)}>`)
    if (this.open.length === 0) return this.emitElement(end)
    this.pos = end
  }

  private emitElement (end: number): void {
    const xml = this.text.slice(0, end)
    this.consume(end)
    this.events.element(xml)
  }
}
