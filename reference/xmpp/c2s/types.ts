// The c2s side's seams: how it authenticates, where rosters come from, where stanzas go
// (GridPort, wired to the region code by the gateway), and how a transport carries a stream.
import type { Element } from 'ltx'
import type { StreamError } from '../stanza/index.ts'

/** Who a successful SASL PLAIN login is (GRIDIM-XMPP-7: the gateway calls signOn here). */
export interface AuthenticatedUser {
  userId: string
  /** The user's bare JID, e.g. ada.lovelace@grid.example. */
  jid: string
}

export type Authenticate = (username: string, password: string) => Promise<AuthenticatedUser | null>

/** RFC 6121 §2.1.2: one roster item. */
export interface RosterItem {
  jid: string
  name?: string
  subscription: 'none' | 'to' | 'from' | 'both' | 'remove'
  groups?: string[]
}

export type RosterSource = (userId: string) => Promise<RosterItem[]>

/** A bound client session as the grid side sees it. */
export interface C2sSessionHandle {
  readonly id: string
  readonly userId: string
  /** The full JID bound to the stream (RFC 6120 §7). */
  readonly jid: string
  readonly bareJid: string
  /** Delivers a stanza to the client; `from` must be set by the caller. */
  send (el: Element): void
  /** Ends the stream, with a stream error when given (e.g. conflict, GRIDIM-XMPP-9). */
  close (error?: StreamError): void
}

/**
 * Where a client's stanzas go once its resource is bound. Each handler gets the stanza with
 * `from` stamped as the session's full JID (RFC 6120 §8.1.2.1). A handler that throws a
 * GridImError or StanzaError gets the stanza answered with the matching stanza error
 * (GRIDIM-XMPP-30), except stanzas of type error (RFC 6120 §8.3.1, GRIDIM-XMPP-31).
 */
export interface GridPort {
  /** The stream is authenticated and bound: the user is online at the gateway. */
  sessionStarted? (session: C2sSessionHandle): Promise<void> | void
  onMessage (session: C2sSessionHandle, stanza: Element): Promise<void> | void
  onPresence (session: C2sSessionHandle, stanza: Element): Promise<void> | void
  /**
   * A stanza of a bound stream has just arrived, before it waits its turn behind the stream's
   * earlier stanzas: what must be judged as of its arrival is read here (GRIDIM-XMPP-63).
   */
  arrived? (session: C2sSessionHandle, stanza: Element): void
  /**
   * An IQ the c2s layer does not answer itself (it answers bind, session, roster get, ping and
   * disco#info to the server). Return the answer (type result or error), or undefined for
   * <service-unavailable/> (RFC 6120 §8.4). IQs of type result/error are passed with no answer.
   */
  onIq? (session: C2sSessionHandle, stanza: Element): Promise<Element | undefined> | Element | undefined
  /** The stream ended, however it ended (GRIDIM-XMPP-10: sign the user off). */
  sessionEnded? (session: C2sSessionHandle, reason: { error?: StreamError }): Promise<void> | void
}

/** The transport under one client stream: TCP framing, WebSocket (RFC 7395) or BOSH (XEP-0206). */
export interface C2sTransport {
  /** Whether the transport is protected by TLS, or configured as such (GRIDIM-XMPP-8). */
  readonly secure: boolean
  /** Sends the stream header answering the client's (RFC 6120 §4.2). */
  openStream (header: { id: string, from: string, version: string, lang?: string }): void
  send (el: Element): void
  /** Ends the stream, after a stream error when given; the transport then closes. */
  closeStream (error?: StreamError): void
}
