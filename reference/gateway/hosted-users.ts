// The XMPP users the gateway hosts (GRIDIM-ROLE-1): IM-only grid users, one client stream each,
// and foreign users of the Jabber server, with the resources they are available from. Each has
// an agent at the gateway's region side while signed on, whose event log the gateway turns into
// stanzas (to-xmpp.ts). Also remembers the names and JIDs the gateway has seen, since
// notices and deliveries name users by id only.
import type { Agent } from '../region/index.ts'
import type { C2sSessionHandle } from '../xmpp/c2s/index.ts'

export type HostedUser = {
  userId: string
  /** The grid's name: `First Last`, or the bare JID of a foreign user. */
  name: string
  /** The user's bare JID. */
  jid: string
  kind: 'im-only' | 'foreign'
  /** The signed-on session here; undefined for a foreign user who is not signed on. */
  agent?: Agent
  /** An IM-only user's client stream. */
  stream?: C2sSessionHandle
  /**
   * A foreign user's available resources (GRIDIM-XMPP-25), each with the addresses at the gateway
   * domain its server has sent available presence to. Unavailable presence to one of them is not
   * the resource going offline: a server also sends it when a subscription ends (RFC 6121
   * §3.3.3); the resource has gone when none of them is left.
   */
  resources: Map<string, Set<string>>
  /** Stanzas flow once an IM-only client has sent initial presence (GRIDIM-XMPP-12); foreign: at once. */
  ready: boolean
  /** The last event of the agent's log turned into stanzas. */
  cursor: string
  /** Stops the log subscription. */
  unsubscribe?: () => void
  /** GRIDIM-XMPP-33: the user has sent a chat state to the gateway domain. */
  sentChatState: boolean
  /** GRIDIM-XMPP-16: pending friendship offers to this user, by offerer. */
  offers: Map<string, string>
  /**
   * Rooms (group sessions) this user occupies (GRIDIM-XMPP-36): groupSessionId → the full JID
   * that joined, where room traffic goes (a groupchat to a bare JID is refused, RFC 6121 §8.5.2).
   */
  rooms: Map<string, string>
  /** Inbound stanzas are handled one at a time per user, in arrival order. */
  chain: Promise<void>
}

/** How many user names and JIDs are remembered for addressing stanzas. */
const MAX_KNOWN = 100_000

export class HostedUsers {
  readonly #byId = new Map<string, HostedUser>()
  readonly #names = new Map<string, string>()
  readonly #rooms = new Map<string, string>()
  /** Foreign users whose record the user server is known to hold (GRIDIM-XMPP-47). */
  readonly #recorded = new Set<string>()

  get (userId: string): HostedUser | undefined {
    return this.#byId.get(userId)
  }

  list (): HostedUser[] {
    return [...this.#byId.values()]
  }

  get size (): number {
    return this.#byId.size
  }

  /** The user's record, created if absent. */
  ensure (user: Pick<HostedUser, 'userId' | 'name' | 'jid' | 'kind'>): HostedUser {
    this.learn(user.userId, user.name)
    let hosted = this.#byId.get(user.userId)
    if (hosted === undefined) {
      hosted = { ...user, resources: new Map(), ready: user.kind === 'foreign', cursor: '0', sentChatState: false, offers: new Map(), rooms: new Map(), chain: Promise.resolve() }
      this.#byId.set(user.userId, hosted)
    }
    return hosted
  }

  /**
   * Forgets a user who has no session left here (its subscription already stopped), unless an
   * offer to it is still pending: that is remembered until answered (GRIDIM-XMPP-16), and a
   * foreign user's server may end its presence to the gateway before its answer comes.
   */
  remove (hosted: HostedUser): void {
    if (this.#byId.get(hosted.userId) === hosted && hosted.offers.size === 0) this.#byId.delete(hosted.userId)
  }

  /** Remembers a user's name (`First Last` or a foreign user's bare JID). */
  learn (userId: string, name: unknown): void {
    if (typeof name !== 'string' || name === '') return
    this.#names.delete(userId)
    this.#names.set(userId, name)
    if (this.#names.size > MAX_KNOWN) this.#names.delete(this.#names.keys().next().value!)
  }

  /** GRIDIM-XMPP-47: whether the user server is known to hold this foreign user's record. */
  isRecorded (userId: string): boolean {
    return this.#recorded.has(userId)
  }

  recorded (userId: string): void {
    this.#recorded.add(userId)
    if (this.#recorded.size > MAX_KNOWN) this.#recorded.delete(this.#recorded.values().next().value!)
  }

  /** A group session the gateway has heard of (an invitation, a join), with its name. */
  knowRoom (groupSessionId: string, name: string): void {
    this.#rooms.delete(groupSessionId)
    this.#rooms.set(groupSessionId, name)
    if (this.#rooms.size > MAX_KNOWN) this.#rooms.delete(this.#rooms.keys().next().value!)
  }

  roomName (groupSessionId: string): string | undefined {
    return this.#rooms.get(groupSessionId)
  }

  nameOf (userId: string): string | undefined {
    return this.#byId.get(userId)?.name ?? this.#names.get(userId)
  }

  /** Runs `task` after the user's earlier inbound stanzas (RFC 6120 §10.1: in order). */
  async inOrder (hosted: HostedUser, task: () => Promise<void>): Promise<void> {
    const next = hosted.chain.then(task, task)
    hosted.chain = next.catch(() => {})
    await next
  }
}
