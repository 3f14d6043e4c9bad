// A minimal XEP-0114 server side for the component's unit tests (not a test file): it checks
// the handshake, records stanzas, answers pings unless told not to, and can drop links.
import { createServer, type Server, type Socket } from 'node:net'
import type { Element } from 'ltx'
import { NS_COMPONENT } from '../stanza/index.ts'
import { XmlStreamParser, openStreamXml } from '../stream/index.ts'
import { handshakeDigest } from './handshake.ts'
import { isPing, pongFor } from './ping.ts'

export class FakeComponentServer {
  readonly received: Element[] = []
  readonly sockets = new Set<Socket>()
  answerPings = true
  /** Closes a link on receipt of a message stanza, before answering anything after it. */
  dropOnMessage = false
  handshakes = 0
  /** TCP connections accepted. */
  connections = 0
  private server: Server
  port = 0
  private streamCounter = 0

  constructor (private readonly domain: string, private readonly secret: string) {
    this.server = createServer((socket) => this.accept(socket))
  }

  async listen (port = 0): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve))
    this.port = (this.server.address() as { port: number }).port
    return this.port
  }

  /** Stops listening and cuts every link (a server crash). */
  async crash (): Promise<void> {
    for (const socket of this.sockets) socket.destroy()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }

  /** Sends a stanza to every authenticated link. */
  push (xml: string): void {
    for (const socket of this.sockets) socket.write(xml)
  }

  private accept (socket: Socket): void {
    this.connections++
    this.sockets.add(socket)
    socket.on('close', () => this.sockets.delete(socket))
    socket.on('error', () => {})
    const id = `stream-${++this.streamCounter}`
    let authenticated = false
    const parser = new XmlStreamParser({
      open: (header) => {
        socket.write(openStreamXml({ xmlns: NS_COMPONENT, from: header.to, id }))
        if (header.to !== this.domain) socket.end("<stream:error><host-unknown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error></stream:stream>")
      },
      element: (el) => {
        if (!authenticated) {
          if (el.name === 'handshake' && el.getText() === handshakeDigest(id, this.secret)) {
            authenticated = true
            this.handshakes++
            socket.write('<handshake/>')
          } else {
            socket.end("<stream:error><not-authorized xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error></stream:stream>")
          }
          return
        }
        if (el.name === 'message' && this.dropOnMessage) { socket.destroy(); return }
        if (isPing(el)) { if (this.answerPings) socket.write(pongFor(el).toString()); return }
        this.received.push(el)
      },
      close: () => socket.end('</stream:stream>')
    })
    socket.on('data', (chunk: Buffer) => { try { parser.write(chunk) } catch { socket.destroy() } })
  }
}
