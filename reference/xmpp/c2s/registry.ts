// The bound client sessions, by user and by full JID. GRIDIM-XMPP-9: a user who authenticates
// again replaces the older stream, which is closed with <conflict/> (RFC 6120 §4.9.3.3).
import { StreamError } from '../stanza/index.ts'
import type { C2sSessionHandle } from './types.ts'

export class SessionRegistry {
  private readonly byUser = new Map<string, C2sSessionHandle>()
  private readonly byJid = new Map<string, C2sSessionHandle>()

  /** `closePlainly`: the gateway-replaced-stream-closed-plainly fault (reference/lib/faults.ts), never set in production. */
  constructor (private readonly closePlainly = false) {}

  /** Records a newly bound session, closing the user's older one. */
  bind (session: C2sSessionHandle): void {
    const older = this.byUser.get(session.userId)
    this.byUser.set(session.userId, session)
    this.byJid.set(session.jid, session)
    if (older !== undefined && older !== session) {
      this.byJid.delete(older.jid)
      older.close(this.closePlainly ? undefined : new StreamError('conflict', 'replaced by a newer login of the same user (GRIDIM-XMPP-9)'))
    }
  }

  remove (session: C2sSessionHandle): void {
    if (this.byUser.get(session.userId) === session) this.byUser.delete(session.userId)
    if (this.byJid.get(session.jid) === session) this.byJid.delete(session.jid)
  }

  forUser (userId: string): C2sSessionHandle | undefined {
    return this.byUser.get(userId)
  }

  /** By full JID, or by bare JID (the user's one session). */
  forJid (jid: string): C2sSessionHandle | undefined {
    const exact = this.byJid.get(jid)
    if (exact !== undefined) return exact
    for (const session of this.byUser.values()) if (session.bareJid === jid) return session
    return undefined
  }

  get size (): number {
    return this.byUser.size
  }
}
