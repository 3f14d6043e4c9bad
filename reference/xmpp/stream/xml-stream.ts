// An incoming XML stream from bytes to parsed elements: UTF-8 decoding across chunk borders
// (RFC 6120 §11.6), framing, and each element through the hostile-XML parser of
// reference/xmpp/stanza (GRIDIM-XMPP-43..45). The first violation throws; the caller closes
// the stream with it and feeds nothing more (GRIDIM-XMPP-46).
import { StringDecoder } from 'node:string_decoder'
import type { Element } from 'ltx'
import { DEFAULT_STANZA_LIMITS, parseStanzaXml, type StanzaXmlLimits } from '../stanza/index.ts'
import { XmlStreamFramer } from './framer.ts'
import { readStreamHeader, type StreamHeader } from './header.ts'

export interface XmlStreamHandlers {
  open (header: StreamHeader): void
  element (el: Element): void
  close (): void
}

export class XmlStreamParser {
  private readonly decoder = new StringDecoder('utf8')
  private framer: XmlStreamFramer
  private failed = false

  constructor (private readonly handlers: XmlStreamHandlers, private readonly limits: StanzaXmlLimits = {}) {
    this.framer = this.newFramer()
  }

  private newFramer (): XmlStreamFramer {
    const { handlers, limits } = this
    return new XmlStreamFramer({
      open: (xml) => handlers.open(readStreamHeader(xml)),
      element: (xml) => handlers.element(parseStanzaXml(xml, limits)),
      close: () => handlers.close()
    }, limits.maxBytes ?? DEFAULT_STANZA_LIMITS.maxBytes)
  }

  /** Feeds bytes or text; throws the StreamError to close the stream with. */
  write (chunk: Buffer | string): void {
    if (this.failed) return
    try {
      this.framer.push(typeof chunk === 'string' ? chunk : this.decoder.write(chunk))
    } catch (error) {
      this.failed = true
      throw error
    }
  }

  /** RFC 6120 §4.3.3: after SASL success and the like, a new stream starts on the same transport. */
  restart (): void {
    this.framer = this.newFramer()
  }
}
