// The c2s side of the gateway: sessions over any transport, sharing one registry.
import type { Element } from 'ltx'
import type { Fault } from '../../lib/faults.ts'
import type { StreamError } from '../stanza/index.ts'
import { SessionRegistry } from './registry.ts'
import { C2sSession, type C2sOptions } from './session.ts'
import type { Authenticate, C2sSessionHandle, C2sTransport, GridPort, RosterSource } from './types.ts'

export interface C2sServerOptions {
  /** The gateway domain (GRIDIM: the gateway's XMPP domain). */
  domain: string
  authenticate: Authenticate
  roster: RosterSource
  gridPort: GridPort
  plainOnInsecure?: boolean
  maxAuthFailures?: number
  maxPending?: number
  /** Deliberate bugs, only for conformance/variants (reference/lib/faults.ts). */
  faults?: ReadonlySet<Fault>
}

export class C2sServer {
  readonly registry: SessionRegistry
  private readonly sessions = new Set<C2sSession>()
  private readonly options: C2sOptions

  constructor (options: C2sServerOptions) {
    this.registry = new SessionRegistry(options.faults?.has('gateway-replaced-stream-closed-plainly') === true)
    this.options = { ...options, registry: this.registry }
  }

  get domain (): string { return this.options.domain }

  /** A new client stream on `transport`; the transport feeds it what it parses. */
  createSession (transport: C2sTransport): C2sSession {
    const session = new C2sSession(this.options, transport)
    this.sessions.add(session)
    return session
  }

  /** Forgets a session whose transport is gone (the transport calls this). */
  release (session: C2sSession): void {
    this.sessions.delete(session)
  }

  /** Delivers a stanza to a bound session by full or bare JID; false when nobody is there. */
  deliver (to: string, el: Element): boolean {
    const session = this.registry.forJid(to)
    if (session === undefined) return false
    session.send(el)
    return true
  }

  sessionFor (userId: string): C2sSessionHandle | undefined {
    return this.registry.forUser(userId)
  }

  /** Ends every stream (e.g. system-shutdown). */
  closeAll (error?: StreamError): void {
    for (const session of this.sessions) session.close(error)
    this.sessions.clear()
  }
}
