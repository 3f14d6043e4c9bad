// One XEP-0114 connection (https://xmpp.org/extensions/xep-0114.html#protocol): TCP, stream
// open in jabber:component:accept, handshake, then stanzas both ways until either side ends it.
import { connect, type Socket } from 'node:net'
import type { Element } from 'ltx'
import { NS_COMPONENT, StreamError, XmppError, type StanzaXmlLimits } from '../stanza/index.ts'
import { CLOSE_STREAM_XML, XmlStreamParser, asStreamError, openStreamXml, readStreamError, streamErrorElement } from '../stream/index.ts'
import { handshakeDigest } from './handshake.ts'

export interface LinkOptions {
  host: string
  port: number
  /** The component's domain (GRIDIM: the gateway domain). */
  domain: string
  secret: string
  limits?: StanzaXmlLimits
  /** Bound on TCP connect + stream open + handshake (ms). */
  handshakeTimeoutMs?: number
}

export interface LinkHandlers {
  element (el: Element): void
  /** The link is gone; `error` says why when it was not a clean close. */
  closed (error?: Error): void
}

export class Link {
  private ended = false

  constructor (private readonly socket: Socket, private readonly handlers: LinkHandlers) {}

  write (xml: string): void {
    if (!this.ended) this.socket.write(xml)
  }

  /** Fails the link (e.g. an unanswered ping): the socket is destroyed at once. */
  fail (error: Error): void {
    this.end(error)
    this.socket.destroy()
  }

  /** XEP-0114 / RFC 6120 §4.4: closes our stream, waits briefly for the server's, then the socket. */
  async close (graceMs = 1000): Promise<void> {
    if (this.ended) return
    this.socket.end(CLOSE_STREAM_XML)
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => { this.socket.destroy(); resolve() }, graceMs)
      this.socket.once('close', () => { clearTimeout(timer); resolve() })
    })
    this.end()
  }

  /** The stream is broken on our side (bad XML from the server): tell it why and hang up. */
  abort (error: StreamError): void {
    this.write(streamErrorElement(error).toString() + CLOSE_STREAM_XML)
    this.fail(error)
  }

  end (error?: Error): void {
    if (this.ended) return
    this.ended = true
    this.handlers.closed(error)
  }
}

/** Connects and authenticates; rejects with the server's StreamError (not-authorized, host-unknown…). */
export function openLink (options: LinkOptions, handlers: LinkHandlers): Promise<Link> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: options.host, port: options.port })
    let link: Link | undefined
    const fail = (error: Error): void => {
      clearTimeout(timer)
      socket.destroy()
      if (link === undefined) reject(error)
      else link.end(error)
    }
    const timer = setTimeout(() => fail(new XmppError('connection-timeout', `no handshake within ${options.handshakeTimeoutMs ?? 10_000} ms`)), options.handshakeTimeoutMs ?? 10_000)
    const parser = new XmlStreamParser({
      open (header) {
        if (header.id === undefined) return fail(new StreamError('undefined-condition', 'the server sent no stream id (XEP-0114 §3)'))
        socket.write(`<handshake>${handshakeDigest(header.id, options.secret)}</handshake>`)
      },
      element (el) {
        if (el.name === 'stream:error') return fail(readStreamError(el))
        if (link !== undefined) return handlers.element(el)
        if (el.name !== 'handshake') return fail(new StreamError('not-authorized', `<${el.name}/> before the handshake was accepted`))
        clearTimeout(timer)
        link = new Link(socket, handlers)
        resolve(link)
      },
      close () { fail(new XmppError('stream-closed', 'the server closed the stream')) }
    }, options.limits)
    socket.setNoDelay(true)
    socket.on('connect', () => socket.write(openStreamXml({ xmlns: NS_COMPONENT, to: options.domain })))
    socket.on('data', (chunk: Buffer) => {
      try {
        parser.write(chunk)
      } catch (error) {
        const streamError = asStreamError(error)
        if (link === undefined) fail(streamError)
        else link.abort(streamError)
      }
    })
    socket.on('error', (error) => fail(error))
    socket.on('close', () => fail(new XmppError('connection-closed', 'the connection closed')))
  })
}
