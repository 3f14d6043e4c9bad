// An XMPP client over a plain TCP stream (a foreign user at its Jabber server) or WebSocket
// (RFC 7395, an IM-only grid user at the gateway), with @xmpp/client. Loopback test servers
// offer no TLS, so PLAIN is forced (tools/xmpp-servers/test-client.ts explains why).
import type { Element } from 'ltx'
import { WebSocket } from 'ws'
import { startTestClient } from '../../tools/xmpp-servers/test-client.ts'
import { streamEnds, type Login, type XmppConnection } from './connection.ts'

const NS_STREAM = 'http://etherx.jabber.org/streams'
const NS_STREAM_ERRORS = 'urn:ietf:params:xml:ns:xmpp-streams'

/** `service`: xmpp://host:port for TCP, ws://host:port/xmpp-websocket for WebSocket. */
export async function connectStream (service: string, login: Login): Promise<XmppConnection> {
  // @xmpp/client's WebSocket transport uses the global WebSocket, which Node 20 lacks.
  if (service.startsWith('ws')) (globalThis as Record<string, unknown>).WebSocket ??= WebSocket
  const client = await startTestClient({ service, ...login })
  const { end, onEnd } = streamEnds()
  // RFC 6120 §4.9.2: the error element's first child in the streams namespace is the condition.
  client.xmpp.on('element', (el: Element) => {
    if (el.is('error', NS_STREAM)) end({ streamError: el.getChildElements().find((c) => c.attrs.xmlns === NS_STREAM_ERRORS)?.name ?? 'undefined-condition' })
  })
  client.xmpp.on('disconnect', () => end({}))
  return {
    jid: client.jid,
    send: async (el) => { await client.xmpp.send(el) },
    iq: async (el, timeoutMs = 10_000) => await client.xmpp.iqCaller.request(el, timeoutMs),
    onStanza: (listener: (el: Element) => void) => { client.xmpp.on('stanza', listener) },
    close: async () => { await client.stop() },
    onEnd,
    sendRaw: async (xml) => { await client.xmpp.write(xml) }
  }
}
