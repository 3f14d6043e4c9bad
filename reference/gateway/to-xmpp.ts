// Grid → XMPP: each client event of a hosted user's session becomes the stanzas chapter 11 maps
// it to, addressed to the user (an IM-only user's stream, or a foreign user's bare JID through
// the Jabber server). Events the XMPP side has no form for are skipped.
import type { Fault } from '../lib/faults.ts'
import { Element } from 'ltx'
import {
  chatMessageToStanza, chatStateToStanza, directInvitationToStanza, groupchatMessageToStanza,
  NS_MUC_USER, presenceAvailableToStanza, presenceUnavailableToStanza, subscriptionToStanza
} from '../xmpp/stanza/index.ts'
import { rosterPush } from '../xmpp/c2s/index.ts'
import type { GroupMember, InstantMessage } from '../lib/contract/types.ts'
import type { EventContent } from '../region/event-content.ts'
import type { Addresses } from './addresses.ts'
import type { HostedUser, HostedUsers } from './hosted-users.ts'



export type Outbound = {
  addresses: Addresses
  users: HostedUsers
  /** Sends to the user: `to` is filled in here. */
  send: (user: HostedUser, el: Element) => void
  /** The region's deliberate bugs (reference/lib/faults.ts); empty in production. */
  faults: ReadonlySet<Fault>
}

/** The address a stanza to this user goes to: the stream's full JID, or the bare JID. */
export function addressOfUser (user: HostedUser): string {
  return user.stream?.jid ?? user.jid
}

/** Where room traffic for the user goes: the full JID that joined the room. */
export function occupantAddress (user: HostedUser, groupSessionId: string): string {
  return user.rooms.get(groupSessionId) ?? addressOfUser(user)
}

/** GRIDIM-XMPP-27: id and origin-id are the messageId; `<delay/>` for a stored message. */
export function instantMessageStanza (out: Outbound, user: HostedUser, im: InstantMessage, stored: boolean): Element {
  return chatMessageToStanza({
    kind: 'chatMessage', from: out.addresses.of(im.fromName), to: addressOfUser(user), id: im.messageId, body: im.body,
    ...(out.faults.has('gateway-no-origin-id') ? {} : { originId: im.messageId }),
    ...(out.faults.has('gateway-message-without-active') ? {} : { chatState: 'active' as const }),
    ...(stored && !out.faults.has('gateway-stored-message-undated') ? { delay: im.sentAt } : {})
  })
}

function subscription (out: Outbound, user: HostedUser, kind: 'presenceSubscribe' | 'presenceSubscribed' | 'presenceUnsubscribe' | 'presenceUnsubscribed', fromName: string, status?: string): Element {
  // Subscription states are between bare JIDs (RFC 6121 §3).
  // GRIDIM-XMPP-62: a friendship offer names its sender (XEP-0172 §4.2), so that an app can show
  // the request by name rather than by JID.
  const nick = kind === 'presenceSubscribe' && !out.faults.has('subscribe-without-nick') ? { nick: fromName } : {}
  return subscriptionToStanza({ kind, from: out.addresses.bare(fromName), to: user.jid, ...(status === undefined ? {} : { status }), ...nick })
}

function unavailable (out: Outbound, user: HostedUser, from: string): Element {
  return presenceUnavailableToStanza({ kind: 'presenceUnavailable', from, to: addressOfUser(user) })
}

/** GRIDIM-XMPP-14: an IM-only user's roster changes with each friendship. */
function pushRoster (out: Outbound, user: HostedUser, name: string, subscription: 'both' | 'remove'): void {
  if (user.stream === undefined) return
  out.send(user, rosterPush(user.stream.jid, `push-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`, { jid: out.addresses.bare(name), name, subscription }))
}

/** XEP-0045 §7.2.3: an occupant's presence, with its affiliation and role, and status codes. */
export function occupantPresence (out: Outbound, user: HostedUser, groupSessionId: string, member: GroupMember, codes: string[] = []): Element {
  const to = occupantAddress(user, groupSessionId)
  const el = presenceAvailableToStanza({ kind: 'presenceAvailable', from: out.addresses.occupant(groupSessionId, member.name), to })
  const x = el.c('x', { xmlns: NS_MUC_USER })
  x.c('item', { affiliation: 'member', role: 'participant', ...(member.userId === user.userId ? { jid: to } : {}) })
  for (const code of codes) x.c('status', { code })
  return el
}

/** Turns one event of `user`'s log into stanzas; `stored` says an instant message came from the offline store. */
export function eventToStanzas (out: Outbound, user: HostedUser, event: EventContent, stored = false): void {
  const { addresses, users } = out
  const nameOf = (userId: string): string | undefined => users.nameOf(userId)
  switch (event.type) {
    case 'instantMessage': {
      const im = event.data
      users.learn(im.fromUserId, im.fromName)
      return out.send(user, instantMessageStanza(out, user, im, stored))
    }
    case 'chatState': {
      // GRIDIM-XMPP-33: XEP-0085 §5.1 — standalone notifications only to a contact who uses them.
      const state = event.data
      if (!user.sentChatState) return
      return out.send(user, chatStateToStanza({ kind: 'chatState', from: addresses.of(state.fromName), to: addressOfUser(user), state: state.state }))
    }
    case 'presence': {
      // GRIDIM-XMPP-22. A notice about the user itself means its session was replaced elsewhere.
      const { data } = event
      if (data.userId === user.userId) return
      users.learn(data.userId, data.name)
      const from = addresses.of(data.name)
      if (data.status === 'online') return out.send(user, presenceAvailableToStanza({ kind: 'presenceAvailable', from, to: addressOfUser(user) }))
      return out.send(user, unavailable(out, user, from))
    }
    case 'friendshipOffer': {
      // GRIDIM-XMPP-16: remembered until answered.
      const { data } = event
      users.learn(data.fromUserId, data.fromName)
      user.offers.set(data.fromUserId, data.offerId)
      return out.send(user, subscription(out, user, 'presenceSubscribe', data.fromName, data.message))
    }
    case 'friendshipAccepted': {
      // GRIDIM-XMPP-18: subscribed, then subscribe, so that the foreign user's own server makes
      // the subscription mutual. GRIDIM-XMPP-54: to an IM-only user, whose server the gateway
      // is, no subscribe: the grid's friend is subscribed already, and a server auto-replies to
      // such a request instead of delivering it (RFC 6121 §3.1.3); the roster push says 'both'.
      const name = event.data.friendName
      users.learn(event.data.friendId, name)
      out.send(user, subscription(out, user, 'presenceSubscribed', name))
      if (user.kind === 'foreign') return out.send(user, subscription(out, user, 'presenceSubscribe', name))
      return pushRoster(out, user, name, 'both')
    }
    case 'friendshipDeclined': {
      // GRIDIM-XMPP-21.
      const name = nameOf(event.data.byUserId)
      if (name !== undefined) out.send(user, subscription(out, user, 'presenceUnsubscribed', name))
      return
    }
    case 'friendshipEnded': {
      // GRIDIM-XMPP-20.
      const name = nameOf(event.data.friendId)
      if (name === undefined) return
      user.offers.delete(event.data.friendId)
      out.send(user, unavailable(out, user, addresses.of(name)))
      out.send(user, subscription(out, user, 'presenceUnsubscribed', name))
      out.send(user, subscription(out, user, 'presenceUnsubscribe', name))
      // The gateway-no-roster-push-on-end fault: the roster is left to the subscription stanzas.
      if (out.faults.has('gateway-no-roster-push-on-end')) return
      return pushRoster(out, user, name, 'remove')
    }
    case 'groupSessionInvitation': {
      // GRIDIM-XMPP-35: an XEP-0249 direct invitation from the starter (the optional mediated
      // one is not sent: clients that show both would ask the user twice).
      const { data } = event
      for (const m of data.members) users.learn(m.userId, m.name)
      const { groupSessionId } = data
      users.knowRoom(groupSessionId, data.name)
      const starter = nameOf(data.startedBy)
      const room = addresses.room(groupSessionId)
      return out.send(user, directInvitationToStanza({
        kind: 'directInvitation', from: starter === undefined ? room : addresses.of(starter), to: addressOfUser(user), room, reason: data.name
      }))
    }
    case 'groupMessage': {
      // GRIDIM-XMPP-39: only to occupants; the sender's own message comes back to it too.
      const gm = event.data
      if (!user.rooms.has(gm.groupSessionId)) return
      users.learn(gm.fromUserId, gm.fromName)
      return out.send(user, groupchatMessageToStanza({
        kind: 'groupchatMessage', from: addresses.occupant(gm.groupSessionId, gm.fromName), to: occupantAddress(user, gm.groupSessionId), id: gm.messageId, body: gm.body
      }))
    }
    case 'groupSessionMemberLeft': {
      // GRIDIM-XMPP-41.
      const { groupSessionId, userId } = event.data
      const name = nameOf(userId)
      if (!user.rooms.has(groupSessionId) || name === undefined || userId === user.userId) return
      const el = presenceUnavailableToStanza({ kind: 'presenceUnavailable', from: addresses.occupant(groupSessionId, name), to: occupantAddress(user, groupSessionId) })
      el.c('x', { xmlns: NS_MUC_USER }).c('item', { affiliation: 'member', role: 'none' })
      return out.send(user, el)
    }
    case 'groupSessionClosed': {
      // GRIDIM-XMPP-42: XEP-0045 §10.9, the room is destroyed.
      const { groupSessionId } = event.data
      const to = user.rooms.get(groupSessionId)
      if (to === undefined) return
      user.rooms.delete(groupSessionId)
      const el = presenceUnavailableToStanza({ kind: 'presenceUnavailable', from: addresses.occupant(groupSessionId, user.name), to })
      const x = el.c('x', { xmlns: NS_MUC_USER })
      x.c('item', { affiliation: 'none', role: 'none' })
      x.c('destroy').c('reason').t(event.data.reason === 'idle' ? 'The group session timed out.' : 'The group session ended.')
      return out.send(user, el)
    }
    default:
      // rightsChanged (the user server follows it with presence), deliveryFailed (answered as a
      // message error already), anything newer: no XMPP form.
  }
}
