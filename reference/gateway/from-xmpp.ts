// XMPP → grid: what a gateway-hosted user's stanzas mean (spec chapter 11). The same code serves
// IM-only users (their client stream) and foreign users (the component link); a handler throws a
// GridImError or StanzaError, which the caller answers with the matching stanza error
// (GRIDIM-XMPP-30), never for a stanza of type error (GRIDIM-XMPP-31).
import { randomUUID } from 'node:crypto'
import { Element } from 'ltx'
import { GridImError } from '../lib/errors/index.ts'
import { uuidV5 } from '../lib/identifiers/index.ts'
import { upsertFriend } from '../region/friends.ts'
import type { Friend, GroupSession, Schema } from '../lib/contract/types.ts'
import { iqResult, NS_DISCO_INFO, NS_ROSTER, rosterPush } from '../xmpp/c2s/index.ts'
import {
  isMucJoin, NS_MUC_USER, presenceAvailableToStanza, presenceUnavailableToStanza, readChatState, StanzaError, subscriptionToStanza
} from '../xmpp/stanza/index.ts'
import { contentChild } from '../xmpp/stanza/read.ts'
import { resourceOf } from './addresses.ts'
import type { GatewayContext } from './context.ts'
import type { HostedUser } from './hosted-users.ts'
import type { GridSender } from './outbound-grid.ts'
import type { Sessions } from './sessions.ts'
import { addressOfUser, occupantAddress, occupantPresence } from './to-xmpp.ts'

/** XEP-0045 §7.12: the disco#info node that asks a room for the user's reserved nick. */
const ROOMUSER_NODE = 'x-roomuser-item'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const NS_SID = 'urn:xmpp:sid:0'
const NS_MUC_OWNER = 'http://jabber.org/protocol/muc'

/** lookupUser's answer. */
type Found = Schema<'UserSummary'>

/** GRIDIM-XMPP-28: the messageId of a stanza from `fromBareJid`. */
export function messageIdOf (el: Element, fromBareJid: string): string {
  const origin = el.getChild('origin-id', NS_SID)?.attrs.id
  const id = el.attrs.id
  for (const candidate of [origin, id]) if (typeof candidate === 'string' && UUID.test(candidate)) return candidate.toLowerCase()
  if (typeof id === 'string' && id !== '') return uuidV5(`${fromBareJid} ${id}`)
  return randomUUID()
}

export class Inbound {
  readonly #gw: GatewayContext
  readonly #sessions: Sessions
  readonly #send: GridSender

  constructor (gw: GatewayContext, sessions: Sessions, send: GridSender) {
    this.#gw = gw
    this.#sessions = sessions
    this.#send = send
  }

  async message (user: HostedUser, el: Element): Promise<void> {
    const type = el.attrs.type ?? 'normal'
    if (type === 'error' || type === 'headline') return // GRIDIM-XMPP-31
    const to = String(el.attrs.to ?? '')
    const room = this.#gw.addresses.roomOf(to)
    if (type === 'groupchat') {
      if (room === undefined) throw new StanzaError('bad-request', 'groupchat messages go to a room')
      const body = contentChild(el, 'body')
      if (body === undefined) return // subject changes and chat states in rooms are not mapped
      if (!user.rooms.has(room)) throw new StanzaError('not-acceptable', 'join the room before speaking in it (XEP-0045 §7.4)')
      return await this.#send.groupMessage(user, room, body.getText(), messageIdOf(el, user.jid))
    }
    if (room !== undefined) throw new StanzaError('feature-not-implemented', 'private messages in rooms are not supported')
    const body = contentChild(el, 'body')
    const state = readChatState(el)
    if (body === undefined && state === undefined) return
    const target = await this.#resolve(to)
    if (body === undefined) {
      user.sentChatState = true
      return await this.#send.chatState(user, target.userId, state!)
    }
    // GRIDIM-XMPP-33: a chat state sent with a body counts too (XEP-0085 §5.1); the fault gateway-chat-state-in-message-not-counted misses it.
    if (state !== undefined && !this.#gw.region.faults.has('gateway-chat-state-in-message-not-counted')) user.sentChatState = true
    await this.#send.instantMessage(user, target.userId, body.getText(), messageIdOf(el, user.jid))
  }

  /** `pending`: the user's offers as they were when the stanza arrived (GRIDIM-XMPP-63). */
  async presence (user: HostedUser, el: Element, pending: ReadonlyMap<string, string>): Promise<void> {
    const type = el.attrs.type
    const to = typeof el.attrs.to === 'string' ? el.attrs.to : undefined
    if (type === 'error') return
    if (type === 'probe') return await this.#probe(user, el)
    if (type === 'subscribe' || type === 'subscribed' || type === 'unsubscribe' || type === 'unsubscribed') return await this.#subscription(user, type, el, pending)
    const room = to === undefined ? undefined : this.#gw.addresses.roomOf(to)
    if (room !== undefined && to !== undefined && resourceOf(to) !== undefined) {
      if (type === 'unavailable') {
        await this.#leave(user, room)
        if (user.kind === 'foreign') await this.#sessions.foreignUnavailable(String(el.attrs.from), to)
        return
      }
      if (type === undefined && isMucJoin(el)) return await this.#joinAs(user, room, el)
      if (type === undefined && !user.rooms.has(room)) throw new StanzaError('item-not-found', 'no such room') // GRIDIM-XMPP-37
      return
    }
    if (user.kind === 'foreign') {
      const from = String(el.attrs.from)
      if (type === 'unavailable') return await this.#sessions.foreignUnavailable(from, to ?? this.#gw.addresses.domain)
      if (type === undefined) return void await this.#sessions.foreignAvailable(from, to ?? this.#gw.addresses.domain)
      return
    }
    if (type === undefined && to === undefined) this.#sessions.initialPresence(user)
  }

  /** IQs not answered by the c2s layer or the component: rooms' disco#info, roster removal. */
  async iq (user: HostedUser, el: Element): Promise<Element | undefined> {
    const type = el.attrs.type
    if (type === 'result' || type === 'error') return undefined
    const to = String(el.attrs.to ?? '')
    const room = this.#gw.addresses.roomOf(to)
    const disco = el.getChild('query', NS_DISCO_INFO)
    if (room !== undefined && type === 'get' && disco !== undefined) {
      // GRIDIM-XMPP-34.
      const name = this.#gw.users.roomName(room)
      if (name === undefined || resourceOf(to) !== undefined) throw new StanzaError('item-not-found', 'no such room')
      const result = iqResult(el, this.#gw.addresses.room(room))
      if (disco.attrs.node === ROOMUSER_NODE && !this.#gw.region.faults.has('gateway-ignores-disco-node')) {
        // GRIDIM-XMPP-61: XEP-0045 §7.12, the reserved nick is the name the room will assign
        // (GRIDIM-XMPP-36), so a client such as Converse.js need not ask the user for one; the
        // node is echoed (XEP-0030 §3.1).
        result.c('query', { xmlns: NS_DISCO_INFO, node: ROOMUSER_NODE }).c('identity', { category: 'conference', type: 'text', name: user.name })
        return result
      }
      const query = result.c('query', { xmlns: NS_DISCO_INFO })
      query.c('identity', { category: 'conference', type: 'text', name })
      for (const feature of [NS_MUC_OWNER, NS_DISCO_INFO, 'muc_membersonly', 'muc_nonanonymous', 'muc_temporary']) query.c('feature', { var: feature })
      return result
    }
    const item = el.getChild('query', NS_ROSTER)?.getChild('item')
    if (type === 'set' && item !== undefined) {
      // GRIDIM-XMPP-19: removing a friend from the roster ends the friendship; other roster
      // edits change nothing, since the roster is the friend list (GRIDIM-XMPP-13).
      if (item.attrs.subscription === 'remove') {
        const friend = await this.#resolve(String(item.attrs.jid ?? ''))
        await this.#endFriendship(user, friend.userId)
      }
      return iqResult(el)
    }
    return undefined
  }

  /** GRIDIM-ID-9, GRIDIM-ID-11: the grid or foreign user a JID names; item-not-found else. */
  async #resolve (jid: string): Promise<Found> {
    const bare = jid.split('/')[0]!.toLowerCase()
    if (bare === '' || (this.#gw.addresses.isLocal(bare) && this.#gw.addresses.gridNameOf(bare) === undefined)) {
      throw new StanzaError('item-not-found', 'no such user')
    }
    try {
      const found = await this.#gw.region.userServer('lookupUser', { query: { jid: bare } })
      this.#gw.users.learn(found.userId, found.name)
      return found
    } catch (err) {
      if (err instanceof GridImError && err.code === 'unknown-user') throw new StanzaError('item-not-found', 'no such user')
      throw err
    }
  }

  async #friends (user: HostedUser): Promise<Friend[]> {
    const friends = await this.#gw.region.userServer('listFriends', { params: { userId: user.userId } })
    for (const f of friends) this.#gw.users.learn(f.userId, f.name)
    return friends
  }

  /** GRIDIM-XMPP-24: probes are answered from the user server, honouring CanSeeOnline. */
  async #probe (user: HostedUser, el: Element): Promise<void> {
    const { addresses } = this.#gw
    const replyTo = String(el.attrs.from)
    let target: Found
    try {
      target = await this.#resolve(String(el.attrs.to ?? ''))
    } catch {
      return this.#gw.send(user, subscriptionToStanza({ kind: 'presenceUnsubscribed', from: addresses.bare(String(el.attrs.to ?? addresses.domain)), to: replyTo }))
    }
    const friends = await this.#friends(user)
    if (!friends.some((f) => f.userId === target.userId)) {
      return this.#gw.send(user, subscriptionToStanza({ kind: 'presenceUnsubscribed', from: addresses.bare(target.name), to: replyTo }))
    }
    const where = await this.#gw.region.userServer('locateUser', { params: { userId: target.userId }, query: { for: user.userId } })
    const from = addresses.of(target.name)
    const answer = where.online && (where.canSeeOnline || this.#gw.region.faults.has('gateway-ignores-can-see-online'))
      ? presenceAvailableToStanza({ kind: 'presenceAvailable', from, to: replyTo })
      : presenceUnavailableToStanza({ kind: 'presenceUnavailable', from, to: replyTo })
    this.#gw.send(user, answer)
  }

  /**
   * GRIDIM-XMPP-47: first contact. A foreign user needs no presence to the gateway domain before
   * anything else (no ordinary client sends it): the user server gets the user's record, derived
   * from the JID (GRIDIM-ID-10, -11), before the first stanza from that user is acted on.
   */
  async recordForeign (user: HostedUser): Promise<void> {
    const { users, region } = this.#gw
    if (user.kind !== 'foreign' || users.isRecorded(user.userId)) return
    if (region.faults.has('gateway-needs-directed-presence') && user.agent === undefined) return
    await region.userServer('lookupUser', { query: { jid: user.jid } })
    users.recorded(user.userId)
  }

  /**
   * GRIDIM-XMPP-15, -17, -19, -50, -51: subscriptions are friendship offers, answers and endings.
   * Where the gateway is the contact's server it keeps RFC 6121 §3.1.3–§3.1.6: a request from a
   * contact already subscribed gets the auto-reply and nothing more, an approval nobody asked for
   * is ignored — else an auto-approving client and the gateway answer each other for ever.
   * GRIDIM-XMPP-63: an answer answers what was pending when it arrived (`pending`), never an offer
   * made while it waited its turn — such as a server's auto-reply to an earlier `unsubscribe`,
   * which would otherwise decline a new offer the user has not even seen.
   */
  async #subscription (user: HostedUser, type: 'subscribe' | 'subscribed' | 'unsubscribe' | 'unsubscribed', el: Element, pending: ReadonlyMap<string, string>): Promise<void> {
    const { region, addresses } = this.#gw
    const target = await this.#resolve(String(el.attrs.to ?? ''))
    if (target.userId === user.userId) return
    // Pending when the stanza arrived and still pending now: not one made while it waited, nor one
    // an earlier stanza answered meanwhile. The gateway-answers-later-offers fault: as they are now.
    const atArrival = pending.get(target.userId)
    // The gateway-answers-answered-offers fault: as they were, even one answered since.
    const offerId = region.faults.has('gateway-answers-later-offers')
      ? user.offers.get(target.userId)
      : region.faults.has('gateway-answers-answered-offers')
        ? atArrival
        : (atArrival !== undefined && user.offers.get(target.userId) === atArrival ? atArrival : undefined)
    /** The answered offer is no longer pending (unless a newer one from the same user took its place). */
    const answered = (): void => { if (user.offers.get(target.userId) === offerId) user.offers.delete(target.userId) }
    switch (type) {
      case 'subscribe': {
        const friends = await this.#friends(user)
        if (friends.some((f) => f.userId === target.userId)) {
          // GRIDIM-XMPP-50: already subscribed (a friendship is 'both'): the auto-reply only.
          this.#gw.send(user, subscriptionToStanza({ kind: 'presenceSubscribed', from: addresses.bare(target.name), to: user.jid }))
          if (region.faults.has('gateway-resubscribes-friends')) {
            this.#gw.send(user, subscriptionToStanza({ kind: 'presenceSubscribe', from: addresses.bare(target.name), to: user.jid, nick: target.name }))
          }
          return
        }
        const status = el.getChildText('status')
        await region.userServer.withStatus('offerFriendship', {
          body: { fromUserId: user.userId, toUserId: target.userId, ...(status === null || status === '' ? {} : { message: status.slice(0, 1023) }) }
        })
        return
      }
      case 'subscribed': {
        // GRIDIM-XMPP-51: approving what was not asked (or is approved already) changes nothing.
        if (offerId === undefined) return
        let friend: Friend
        try {
          friend = await region.userServer('acceptFriendshipOffer', { params: { offerId }, body: { userId: user.userId } })
        } catch (err) {
          // Answered meanwhile (from another resource, or the offer is gone): nothing pending now.
          if (err instanceof GridImError && (err.code === 'unknown-offer' || err.code === 'already-friends')) return answered()
          throw err
        }
        answered()
        return this.#accepted(user, friend)
      }
      case 'unsubscribed':
        if (offerId !== undefined) {
          try {
            await region.userServer('declineFriendshipOffer', { params: { offerId }, body: { userId: user.userId } })
            return answered()
          } catch (err) {
            // Answered meanwhile elsewhere: nothing pending now, so a cancellation (GRIDIM-XMPP-19).
            if (!(err instanceof GridImError && err.code === 'unknown-offer') || region.faults.has('gateway-answers-answered-offers')) throw err
            answered()
          }
        }
        return await this.#cancel(user, target.userId)
      case 'unsubscribe':
        return await this.#cancel(user, target.userId)
    }
  }

  /** GRIDIM-XMPP-19, -55: a cancellation ends a friendship, and of no friendship changes nothing. */
  async #cancel (user: HostedUser, friendId: string): Promise<void> {
    const friends = await this.#friends(user)
    if (friends.some((f) => f.userId === friendId)) await this.#endFriendship(user, friendId)
  }

  /**
   * GRIDIM-XMPP-52, -53: the user approved a grid user's request, so they are friends both ways.
   * Its client learns it as from any server (RFC 6121 §3.1.5, §2.1.6): an IM-only user, whose
   * server the gateway is, gets the roster push, with the friend's name; either kind gets the
   * friend's current presence, which a mutual subscription now lets it see.
   */
  #accepted (user: HostedUser, friend: Friend): void {
    const { addresses, region, users } = this.#gw
    users.learn(friend.userId, friend.name)
    if (user.agent !== undefined) upsertFriend(user.agent, friend)
    if (region.faults.has('gateway-no-roster-push-on-accept')) return
    if (user.kind === 'im-only' && user.stream !== undefined) {
      this.#gw.send(user, rosterPush(user.stream.jid, `push-${randomUUID()}`, { jid: addresses.bare(friend.name), name: friend.name, subscription: 'both' }))
    }
    if (friend.online === true) {
      this.#gw.send(user, presenceAvailableToStanza({ kind: 'presenceAvailable', from: addresses.of(friend.name), to: addressOfUser(user) }))
    }
  }

  async #endFriendship (user: HostedUser, friendId: string): Promise<void> {
    try {
      await this.#gw.region.userServer('endFriendship', { params: { userId: user.userId, friendId } })
    } catch (err) {
      // Not friends (any more): nothing to end.
      if (!(err instanceof GridImError && (err.code === 'unknown-user' || err.code === 'not-friends' || err.code === 'invalid-request'))) throw err
    }
    if (user.agent !== undefined) {
      user.agent.friends = user.agent.friends.filter((f) => f.userId !== friendId)
      user.agent.seesOnline.set(friendId, false)
    }
  }

  /**
   * A join is available presence to the gateway domain: a foreign user who has none other (a
   * Jabber user invited before any friendship) is signed on by it (GRIDIM-XMPP-25, -47), and off
   * again when the join fails, as its presence went nowhere else here.
   */
  async #joinAs (user: HostedUser, groupSessionId: string, el: Element): Promise<void> {
    if (user.kind !== 'foreign') return await this.#join(user, groupSessionId, el)
    const from = String(el.attrs.from)
    const to = String(el.attrs.to)
    // The user as signed on now: the record the stanza arrived with may be one a sign-off that
    // finished meanwhile (a leave queued before this join) has forgotten.
    const hosted = await this.#sessions.foreignAvailable(from, to)
    try {
      await this.#join(hosted, groupSessionId, el)
    } catch (err) {
      await this.#sessions.foreignUnavailable(from, to)
      throw err
    }
  }

  /** GRIDIM-XMPP-36, -37: joining the room is joining the session at the user server. */
  async #join (user: HostedUser, groupSessionId: string, el: Element): Promise<void> {
    if (user.agent === undefined) throw new StanzaError('registration-required', 'sign on first')
    let session: GroupSession
    try {
      session = await this.#gw.region.userServer('joinGroupSession', { params: { groupSessionId, userId: user.userId } })
    } catch (err) {
      // The fault closed-room-join-as-gone passes a closed session's group-session-closed on (as `gone`).
      if (err instanceof GridImError && (err.code === 'unknown-group-session' || (err.code === 'group-session-closed' && !this.#gw.region.faults.has('closed-room-join-as-gone')))) {
        throw new StanzaError('item-not-found', 'no open group session has this room JID')
      }
      throw err
    }
    this.#gw.users.knowRoom(groupSessionId, session.name)
    user.rooms.set(groupSessionId, String(el.attrs.from))
    for (const member of session.members) {
      this.#gw.users.learn(member.userId, member.name)
      if (member.userId !== user.userId) this.#gw.send(user, occupantPresence(this.#gw.out, user, groupSessionId, member))
    }
    // XEP-0045 §7.2.3: self-presence last, 110 (this is you) and 210 (the room set your nick).
    // The fault muc-self-presence-no-210 leaves 210 out.
    const codes = this.#gw.region.faults.has('muc-self-presence-no-210') ? ['110'] : ['110', '210']
    this.#gw.send(user, occupantPresence(this.#gw.out, user, groupSessionId, { userId: user.userId, name: user.name }, codes))
  }

  /** GRIDIM-XMPP-40. */
  async #leave (user: HostedUser, groupSessionId: string): Promise<void> {
    if (!user.rooms.has(groupSessionId)) return
    try {
      await this.#gw.region.userServer('leaveGroupSession', { params: { groupSessionId, userId: user.userId } })
    } catch (err) {
      if (!(err instanceof GridImError && (err.code === 'unknown-group-session' || err.code === 'group-session-closed'))) throw err
    }
    const to = occupantAddress(user, groupSessionId)
    user.rooms.delete(groupSessionId)
    const self = presenceUnavailableToStanza({ kind: 'presenceUnavailable', from: this.#gw.addresses.occupant(groupSessionId, user.name), to })
    const x = self.c('x', { xmlns: NS_MUC_USER })
    x.c('item', { affiliation: 'member', role: 'none' })
    x.c('status', { code: '110' })
    this.#gw.send(user, self)
  }
}
