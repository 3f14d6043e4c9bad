// The server side of an XEP-0114 component link, for the runner's simulated Jabber server: one
// component domain and its shared secret, the handshake checked (XEP-0114 §3), stanzas whose
// `from` is outside the component's domain refused with <invalid-from/> (RFC 6120 §8.1.2.1).
// A new link replaces an older one that has not noticed its end yet.
import { randomBytes } from 'node:crypto'
import { createServer, type Server, type Socket } from 'node:net'
import type { Element } from 'ltx'
import { handshakeDigest } from '../../reference/xmpp/component/handshake.ts'
import { NS_COMPONENT, StreamError } from '../../reference/xmpp/stanza/index.ts'
import { CLOSE_STREAM_XML, openStreamXml, streamErrorElement, XmlStreamParser } from '../../reference/xmpp/stream/index.ts'

export class ComponentListener {
  readonly domain: string
  readonly #secret: string
  readonly #onStanza: (el: Element) => void
  readonly #server: Server
  readonly #sockets = new Set<Socket>()
  #link: Socket | undefined
  #streams = 0
  /** Handshakes accepted. */
  handshakes = 0

  /** `onStanza` gets each stanza of the linked component, its default namespace removed. */
  constructor (component: { domain: string, secret: string }, onStanza: (el: Element) => void) {
    this.domain = component.domain.toLowerCase()
    this.#secret = component.secret
    this.#onStanza = onStanza
    this.#server = createServer((socket) => this.#accept(socket))
  }

  async listen (port: number, host: string): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject)
      this.#server.listen(port, host, () => { this.#server.off('error', reject); resolve() })
    })
    return (this.#server.address() as { port: number }).port
  }

  get linked (): boolean { return this.#link !== undefined }

  /** Writes a stanza to the linked component; false when none is linked. */
  send (el: Element): boolean {
    if (this.#link === undefined) return false
    this.#link.write(el.toString())
    return true
  }

  async close (): Promise<void> {
    for (const socket of this.#sockets) socket.destroy()
    await new Promise<void>((resolve) => this.#server.close(() => resolve()))
  }

  #accept (socket: Socket): void {
    this.#sockets.add(socket)
    const id = `gridim-${++this.#streams}-${randomBytes(6).toString('hex')}`
    let authenticated = false
    const fail = (error: StreamError): void => {
      if (socket.destroyed) return
      socket.end(streamErrorElement(error).toString() + CLOSE_STREAM_XML)
    }
    socket.on('error', () => {})
    socket.on('close', () => {
      this.#sockets.delete(socket)
      if (this.#link === socket) this.#link = undefined
    })
    const parser = new XmlStreamParser({
      open: (header) => {
        socket.write(openStreamXml({ xmlns: NS_COMPONENT, from: header.to, id }))
        if (header.xmlns !== NS_COMPONENT) fail(new StreamError('invalid-namespace', `the component namespace is ${NS_COMPONENT}`))
        else if (header.to?.toLowerCase() !== this.domain) fail(new StreamError('host-unknown', `no component ${header.to ?? '(none)'} is configured here`))
      },
      element: (el) => {
        if (!authenticated) {
          if (el.name !== 'handshake' || el.getText() !== handshakeDigest(id, this.#secret)) { fail(new StreamError('not-authorized', 'wrong handshake (XEP-0114 §3)')); return }
          authenticated = true
          this.handshakes++
          if (this.#link !== undefined && this.#link !== socket) this.#link.destroy()
          this.#link = socket
          socket.write('<handshake/>')
          return
        }
        const from = String(el.attrs.from ?? '').toLowerCase()
        if (from.slice(from.indexOf('@') + 1).split('/')[0] !== this.domain) { fail(new StreamError('invalid-from', `from must be at ${this.domain}`)); return }
        if (el.attrs.xmlns === NS_COMPONENT) delete el.attrs.xmlns
        this.#onStanza(el)
      },
      close: () => { socket.end(CLOSE_STREAM_XML) }
    })
    socket.on('data', (chunk: Buffer) => {
      try { parser.write(chunk) } catch (error) { fail(error instanceof StreamError ? error : new StreamError('not-well-formed', String(error))) }
    })
  }
}
