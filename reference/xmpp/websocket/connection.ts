// One XMPP-over-WebSocket connection (RFC 7395) driving a C2sSession: each text message is
// parsed on its own by the hostile-XML parser (GRIDIM-XMPP-43..45); <open/> and <close/> are
// the stream's start (and restart, §3.5) and end.
import type { WebSocket } from 'ws'
import type { C2sServer, C2sTransport } from '../c2s/index.ts'
import { StreamError, parseStanzaXml, type StanzaXmlLimits } from '../stanza/index.ts'
import { asStreamError } from '../stream/index.ts'
import { closeElement, errorFrames, frame, isFraming, openElement } from './framing.ts'

/** How long the server waits for the client's <close/> before closing the socket (RFC 7395 §3.6). */
const CLOSE_GRACE_MS = 1000

/** `skipComments`: the websocket-xml-comments-skipped fault (reference/lib/faults.ts), never set in production. */
export function serveWebSocket (c2s: C2sServer, ws: WebSocket, options: { secure: boolean, limits?: StanzaXmlLimits, skipComments?: boolean }): void {
  let closing = false
  const transport: C2sTransport = {
    secure: options.secure,
    openStream: (header) => ws.send(openElement(header).toString()),
    send: (el) => { if (ws.readyState === ws.OPEN) ws.send(frame(el)) },
    closeStream: (error) => {
      if (closing || ws.readyState !== ws.OPEN) return
      closing = true
      for (const text of error === undefined ? [closeElement().toString()] : errorFrames(error)) ws.send(text)
      setTimeout(() => ws.close(1000), CLOSE_GRACE_MS).unref()
    }
  }
  const session = c2s.createSession(transport)

  ws.on('message', (data, isBinary) => {
    if (closing) {
      if (!isBinary && /^<close[\s/>]/.test(data.toString())) ws.close(1000)
      return
    }
    try {
      // RFC 7395 §3.2: XMPP travels in text messages only.
      if (isBinary) throw new StreamError('unsupported-encoding', 'XMPP over WebSocket uses text messages (RFC 7395 §3.2)')
      // The fault: comments dropped before parsing, as a lenient parser does, instead of refused.
      const text = options.skipComments === true ? data.toString().replace(/<!--[\s\S]*?-->/g, '') : data.toString()
      const el = parseStanzaXml(text, options.limits)
      if (isFraming(el, 'open')) return session.streamOpened({ ...(typeof el.attrs.to === 'string' ? { to: el.attrs.to } : {}), ...(typeof el.attrs['xml:lang'] === 'string' ? { lang: el.attrs['xml:lang'] } : {}) })
      if (isFraming(el, 'close')) return session.streamClosed()
      session.element(el)
    } catch (error) {
      session.fail(asStreamError(error))
    }
  })
  ws.on('error', () => {})
  ws.on('close', () => {
    session.transportLost()
    c2s.release(session)
  })
}
