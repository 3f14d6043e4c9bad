// RFC 6120 over plain TCP: the stream framing of reference/xmpp/stream around a C2sSession.
// (Client TLS is for a front proxy; GRIDIM-XMPP-8 keeps PLAIN off unless configured.)
import { createServer, type Server, type Socket } from 'node:net'
import type { Element } from 'ltx'
import { NS_CLIENT, type StanzaXmlLimits } from '../stanza/index.ts'
import { CLOSE_STREAM_XML, XmlStreamParser, asStreamError, openStreamXml, streamErrorElement } from '../stream/index.ts'
import type { C2sServer } from './server.ts'
import type { C2sTransport } from './types.ts'

export function serveTcpSocket (c2s: C2sServer, socket: Socket, limits: StanzaXmlLimits = {}): void {
  let parser: XmlStreamParser
  const transport: C2sTransport = {
    secure: false,
    openStream: (header) => socket.write(openStreamXml({ xmlns: NS_CLIENT, ...header })),
    send: (el: Element) => {
      socket.write(el.toString())
      // RFC 6120 §6.4.6: after <success/> both sides start a new stream on the same socket.
      if (el.name === 'success') parser.restart()
    },
    closeStream: (error) => {
      socket.end((error === undefined ? '' : streamErrorElement(error).toString()) + CLOSE_STREAM_XML)
    }
  }
  const session = c2s.createSession(transport)
  parser = new XmlStreamParser({
    open: (header) => session.streamOpened(header),
    element: (el) => session.element(el),
    close: () => session.streamClosed()
  }, limits)
  socket.setNoDelay(true)
  socket.on('data', (chunk: Buffer) => {
    try {
      parser.write(chunk)
    } catch (error) {
      session.fail(asStreamError(error))
    }
  })
  socket.on('error', () => {})
  socket.on('close', () => {
    session.transportLost()
    c2s.release(session)
  })
}

/** A loopback listener for client streams; resolves with the server and its port. */
export async function listenTcp (c2s: C2sServer, port = 0, host = '127.0.0.1', limits: StanzaXmlLimits = {}): Promise<{ server: Server, port: number }> {
  const server = createServer((socket) => serveTcpSocket(c2s, socket, limits))
  await new Promise<void>((resolve) => server.listen(port, host, resolve))
  return { server, port: (server.address() as { port: number }).port }
}
