// An XMPP client stream as the runner's XMPP actors use it, whatever carries it: plain TCP to a
// Jabber server, BOSH or WebSocket to the gateway.
import type { Element } from 'ltx'

export interface XmppConnection {
  /** The full JID the server bound (RFC 6120 §7). */
  readonly jid: string
  /** Writes a stanza as given; the server stamps `from` (RFC 6120 §8.1.2.1). */
  send (el: Element): Promise<void>
  /** An IQ request and its answer (RFC 6120 §8.2.3), e.g. the roster get. */
  iq (el: Element, timeoutMs?: number): Promise<Element>
  /** Every stanza the server sends the client, IQs included, in order. */
  onStanza (listener: (el: Element) => void): void
  /** Ends the stream (RFC 6120 §4.4; XEP-0124 §13 for BOSH) and waits for it to close. */
  close (): Promise<void>
  /**
   * Called once when the server ends the stream: with the condition of its stream error (RFC
   * 6120 §4.9), and for BOSH the `condition` of the terminate body that carried it (XEP-0206 §6).
   */
  onEnd?: (listener: (end: StreamEnd) => void) => void
  /**
   * Writes text as it is, not a stanza: for a flow that sends what the XML rules of RFC 6120
   * §11.1 forbid (hostile input). Only where the transport lets a client do so (WebSocket, TCP).
   */
  sendRaw?: (xml: string) => Promise<void>
}

/** How the server ended a stream: its stream error, if any; for BOSH, the terminate condition. */
export type StreamEnd = { streamError?: string, terminate?: string }

/**
 * How a connection's stream ended, said once to every listener, also to one that comes later:
 * `end` is called by whatever ends it first (a stream error, a BOSH terminate body, a disconnect).
 */
export function streamEnds (): { end: (how: StreamEnd) => void, onEnd: (listener: (how: StreamEnd) => void) => void, ended: () => StreamEnd | undefined } {
  const listeners: Array<(how: StreamEnd) => void> = []
  let ended: StreamEnd | undefined
  return {
    end: (how) => {
      if (ended !== undefined) return
      ended = how
      for (const listener of listeners) listener(how)
    },
    onEnd: (listener) => { listeners.push(listener); if (ended !== undefined) listener(ended) },
    ended: () => ended
  }
}

export type Login = {
  /** The localpart: a Jabber account's name, or `first.last` at the gateway (GRIDIM-XMPP-7). */
  username: string
  password: string
  domain: string
  resource?: string
  timeoutMs?: number
}
