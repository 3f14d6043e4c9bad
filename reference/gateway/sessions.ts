// Signing XMPP users on and off (spec chapter 11): IM-only grid users when their client stream
// authenticates and ends (GRIDIM-XMPP-7, -9, -10, -12, -23), foreign users when their first
// resource becomes available and their last one unavailable (GRIDIM-XMPP-25). While signed on,
// each has an agent at the region side; its event log is turned into stanzas as it grows.
import { GridImError } from '../lib/errors/index.ts'
import { foreignUserId, normaliseBareJid } from '../lib/identifiers/index.ts'
import type { Agent } from '../region/index.ts'
import type { SignOnResponse } from '../region/client-session.ts'
import type { Schema } from '../lib/contract/types.ts'
import type { AuthenticatedUser, C2sSessionHandle } from '../xmpp/c2s/index.ts'
import { presenceAvailableToStanza, StreamError } from '../xmpp/stanza/index.ts'
import { splitLocalpart } from './addresses.ts'
import type { GatewayContext } from './context.ts'
import type { HostedUser } from './hosted-users.ts'
import { addressOfUser, eventToStanzas } from './to-xmpp.ts'

type SignOnAnswer = SignOnResponse
/** What signOn takes besides the region: a name and password, or (GRIDIM-XMPP) a foreign JID. */
type Credentials = Schema<'SignOnRequest'> extends infer R ? (R extends unknown ? Omit<R, 'regionId'> : never) : never

export class Sessions {
  readonly #gw: GatewayContext

  constructor (gw: GatewayContext) {
    this.#gw = gw
  }

  /**
   * GRIDIM-XMPP-7: SASL PLAIN as `first.last` signs the user on at the gateway. Null (SASL
   * not-authorized) for invalid credentials; other failures throw (temporary-auth-failure).
   */
  async login (username: string, password: string): Promise<AuthenticatedUser | null> {
    const { region, addresses, users } = this.#gw
    const names = splitLocalpart(username)
    if (names === undefined) return null
    let userId: string
    try {
      userId = (await region.userServer('lookupUser', { query: { name: `${names.firstName} ${names.lastName}` } })).userId
    } catch (err) {
      if (err instanceof GridImError && err.code === 'unknown-user') return null
      throw err
    }
    const answer = await this.#signOn(userId, { firstName: names.firstName, lastName: names.lastName, password })
    if (answer === null) return null
    const user = users.ensure({ userId: answer.userId, name: answer.name, jid: addresses.bare(answer.name), kind: 'im-only' })
    this.#host(user, answer)
    return { userId: user.userId, jid: user.jid }
  }

  /** The stream is bound; stanzas wait for initial presence (GRIDIM-XMPP-12). */
  streamStarted (stream: C2sSessionHandle): void {
    const user = this.#gw.users.get(stream.userId)
    if (user?.agent === undefined) return stream.close(new StreamError('not-authorized', 'the sign-on has ended'))
    user.stream = stream
    user.ready = false
  }

  /** GRIDIM-XMPP-12, -23: the client's initial presence releases what waited for it. */
  initialPresence (user: HostedUser): void {
    if (user.ready || user.agent === undefined) return
    user.ready = true
    this.#onlineFriends(user)
    this.#flush(user)
  }

  /** GRIDIM-XMPP-23: available presence from each friend the sign-on answer shows online. */
  #onlineFriends (user: HostedUser): void {
    for (const friend of user.agent?.friends ?? []) {
      if (friend.online !== true) continue
      this.#gw.users.learn(friend.userId, friend.name)
      this.#gw.send(user, presenceAvailableToStanza({ kind: 'presenceAvailable', from: this.#gw.addresses.of(friend.name), to: addressOfUser(user) }))
    }
  }

  /** GRIDIM-XMPP-10: the stream ended, however: sign the user off. */
  async streamEnded (stream: C2sSessionHandle): Promise<void> {
    const user = this.#gw.users.get(stream.userId)
    if (user === undefined || user.stream !== stream) return // a newer stream replaced it (GRIDIM-XMPP-9)
    user.stream = undefined
    await this.#signOff(user)
  }

  /** GRIDIM-XMPP-25: available presence from a resource of a foreign user, to `to` at the gateway domain. */
  async foreignAvailable (fullJid: string, to: string): Promise<HostedUser> {
    const { users, region } = this.#gw
    const jid = normaliseBareJid(fullJid)
    const user = users.ensure({ userId: foreignUserId(jid), name: jid, jid, kind: 'foreign' })
    const resource = fullJid.slice(jid.length + 1)
    const seenBy = user.resources.get(resource) ?? new Set<string>()
    seenBy.add(normaliseBareJid(to))
    user.resources.set(resource, seenBy)
    if (user.agent !== undefined && region.agents.byUserId(user.userId) === user.agent) return user
    const answer = await this.#signOn(user.userId, { jid })
    if (answer === null) return user
    this.#host(user, answer)
    // Not every server probes when a subscription becomes mutual (ejabberd does not).
    this.#onlineFriends(user)
    return user
  }

  /** GRIDIM-XMPP-25: unavailable presence to `to`; the user is signed off when its last resource has gone. */
  async foreignUnavailable (fullJid: string, to: string): Promise<void> {
    const jid = normaliseBareJid(fullJid)
    const user = this.#gw.users.get(foreignUserId(jid))
    if (user === undefined) return
    const resource = fullJid.slice(jid.length + 1)
    const contact = normaliseBareJid(to)
    // From the bare JID it concerns every resource; to the gateway domain itself, the whole resource.
    for (const [name, seenBy] of user.resources) {
      if (resource !== '' && name !== resource) continue
      seenBy.delete(contact)
      if (seenBy.size === 0 || !contact.includes('@')) user.resources.delete(name)
    }
    if (user.resources.size === 0) await this.#signOff(user)
  }

  /** Every hosted user: for a shutdown. */
  async signOffAll (): Promise<void> {
    await Promise.all(this.#gw.users.list().map(async (user) => { await this.#signOff(user) }))
  }

  /** GRIDIM-SIGN-5: deliveries for the user are accepted from the moment signOn is sent. */
  async #signOn (userId: string, credentials: Credentials): Promise<SignOnAnswer | null> {
    const { region } = this.#gw
    const reservation = region.agents.reserve(userId)
    try {
      const answer = await region.userServer('signOn', { body: { ...credentials, regionId: region.regionId } })
      const { sessionId, sessionSecret, name, friends } = answer
      const log = answer.userId === userId ? reservation.log : undefined
      const agent = region.agents.admit({ sessionId, sessionSecret, userId: answer.userId, name, friends }, log)
      region.offline.take(agent, answer.offlineMessages, answer.moreOfflineMessages)
      return answer
    } catch (err) {
      if (err instanceof GridImError && err.code === 'invalid-credentials') return null
      throw err
    } finally {
      reservation.release()
    }
  }

  /** Starts turning the new agent's log into stanzas for the user. */
  #host (user: HostedUser, answer: SignOnAnswer): void {
    const { region, users } = this.#gw
    const agent = region.agents.byUserId(answer.userId)
    if (agent === undefined) return
    for (const friend of answer.friends) users.learn(friend.userId, friend.name)
    user.unsubscribe?.()
    user.agent = agent
    user.cursor = '0'
    const stream = user.stream
    user.unsubscribe = agent.log.subscribe((event) => {
      if (event !== null) return this.#flush(user)
      this.#ended(user, agent, stream)
    })
    region.logger.debug('signed on at the gateway', { userId: user.userId, kind: user.kind })
    this.#flush(user)
  }

  /** Sends what the log holds past the user's cursor, once the user is ready; acknowledges stored messages. */
  #flush (user: HostedUser): void {
    const agent = user.agent
    if (!user.ready || agent === undefined || agent.log.closed) return
    const { events, cursor } = agent.log.after(agent.log.knows(user.cursor) ? user.cursor : undefined)
    for (const event of events) {
      const stored = event.type === 'instantMessage' && agent.unacknowledged.some((m) => m.messageId === event.data.messageId)
      try {
        eventToStanzas(this.#gw.out, user, event, stored)
      } catch (err) {
        this.#gw.logger.warn('an event could not be sent over XMPP', { userId: user.userId, type: event.type, error: (err as Error).message })
      }
    }
    user.cursor = cursor
    // GRIDIM-IM-22: at the gateway a message is read once its stanza is written to the stream.
    this.#gw.region.inbox.readThrough(agent, cursor)
    // GRIDIM-OFFL-8: stored messages are acknowledged once their stanzas are written.
    if (agent.unacknowledged.length > 0 || agent.moreOffline) void this.#gw.region.offline.readThrough(agent, cursor)
  }

  /** The agent's log closed: signed off, replaced, or the lease lapsed. */
  #ended (user: HostedUser, agent: Agent, stream: C2sSessionHandle | undefined): void {
    if (user.agent !== agent) return
    user.agent = undefined
    user.unsubscribe = undefined
    user.rooms.clear()
    user.resources.clear()
    // A session that ended without the client ending its stream: replaced by a newer sign-on
    // (here, GRIDIM-XMPP-9, or elsewhere, GRIDIM-SIGN-9), or lost with the lease.
    const open = user.stream ?? stream
    if (open !== undefined) {
      user.stream = undefined
      // The gateway-replaced-stream-closed-plainly fault: the stream is closed as if the client had ended it.
      open.close(this.#gw.region.faults.has('gateway-replaced-stream-closed-plainly') ? undefined : new StreamError('conflict', 'this session has been replaced or has ended'))
    }
    if (this.#gw.region.agents.byUserId(user.userId) === undefined) this.#gw.users.remove(user)
  }

  async #signOff (user: HostedUser): Promise<void> {
    const agent = user.agent
    if (agent === undefined) return
    user.stream = undefined
    try {
      await this.#gw.region.userServer('signOff', { params: { sessionId: agent.sessionId } })
    } catch (err) {
      if (!(err instanceof GridImError && (err.code === 'unknown-session' || err.code === 'not-your-agent'))) {
        this.#gw.logger.warn('signOff failed; the lease will end the session', { userId: user.userId, error: (err as Error).message })
      }
    }
    if (this.#gw.region.agents.byUserId(user.userId) === agent) this.#gw.region.agents.drop(agent)
  }
}
