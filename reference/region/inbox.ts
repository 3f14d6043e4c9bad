// Handing things to agents hosted here: each becomes one client event in the agent's log
// (GRIDIM-CLI-5). Messages and notices are de-duplicated by id, so a retry never shows twice
// (GRIDIM-IM-14, GRIDIM-GRP-21, GRIDIM-SIGN-19). An instant message is kept in the region's
// message store before it counts as delivered (GRIDIM-IM-20), and that store is also what
// remembers its messageId, across restarts (GRIDIM-IM-21).
import type { Fault } from '../lib/faults.ts'
import type { Agent, Agents } from './agents.ts'
import { holdingEvents } from './event-log.ts'
import type { LocalResult } from './delivery.ts'
import { applyNoticeToFriends } from './friends.ts'
import type { LocationCache } from './location-cache.ts'
import type { MessageStore } from './message-store.ts'
import { RecentIds } from './recent-ids.ts'
import type { ChatState, GroupMessageDelivery, InstantMessage, Notice } from '../lib/contract/types.ts'
import type { RegionMetrics } from './upstream.ts'

/**
 * Where an instant message comes from: a region (the sender's, or the gateway acting as one),
 * the user server redelivering a stored message (GRIDIM-OFFL-10), or a sign-on's stored messages.
 */
export type MessageSource = 'region' | 'user-server' | 'offline'

export type InboxOptions = { messages: MessageStore, now?: () => number, faults?: ReadonlySet<Fault> }

export class Inbox {
  readonly #agents: Agents
  readonly #cache: LocationCache
  readonly #metrics: RegionMetrics
  readonly #store: MessageStore
  readonly #groupMessages: RecentIds
  readonly #notices: RecentIds
  readonly #faults: ReadonlySet<Fault>

  constructor (agents: Agents, cache: LocationCache, metrics: RegionMetrics, { messages, now = Date.now, faults = new Set() }: InboxOptions) {
    this.#agents = agents
    this.#cache = cache
    this.#metrics = metrics
    this.#store = messages
    this.#groupMessages = new RecentIds({ now })
    this.#notices = new RecentIds({ now })
    this.#faults = faults
  }

  /**
   * True when this messageId was accepted here before (GRIDIM-IM-14, GRIDIM-IM-21). A message on
   * its way back to the offline store is a duplicate for a sender's retry, but is taken anew
   * when the user server itself brings it again (GRIDIM-OFFL-10) or a sign-on lists it.
   */
  seen (messageId: string, from: MessageSource = 'region'): boolean {
    const state = this.#store.stateOf(messageId)?.state
    return state === 'unread' || state === 'read' || (state === 'returning' && from === 'region')
  }

  /** An instant message, live or from the offline store; null when the recipient is not here. */
  instantMessage (im: InstantMessage, from: MessageSource = 'region'): LocalResult | null {
    if (this.seen(im.messageId, from)) {
      // The user server deletes a redelivered message answered duplicate (GRIDIM-OFFL-4): a copy
      // taken from the offline store is ours to return now, not one it still holds.
      if (from === 'user-server' && !this.#faults.has('redelivered-duplicate-dropped')) this.#store.adopt(im.messageId)
      this.#metrics.duplicate++
      return 'duplicate'
    }
    const recipient = this.#agents.recipient(im.toUserId)
    if (recipient === undefined) return null
    // GRIDIM-SIGN-22: not into the log of a sign-on still in flight — if it failed, nobody
    // would ever read or return the message. Callers wait for the sign-on (Agents.signingOn).
    if (recipient.sessionId === '' && !this.#faults.has('delivered-before-sign-on')) return null
    // Being returned by the very session it would go to, which is ending (a logout returns
    // before it signs off): not here; the user server keeps it for the next session.
    if (from !== 'region' && this.#store.stateOf(im.messageId)?.sessionId === recipient.sessionId) return null
    // GRIDIM-IM-20: committed before anyone — sender or client — learns of it.
    recipient.log.append('instantMessage', im, (event) => {
      this.#store.accept(im, { sessionId: recipient.sessionId, userId: im.toUserId, cursor: event.id, origin: from === 'offline' ? 'offline' : 'live' })
    })
    this.#metrics.delivered++
    return 'delivered'
  }

  /**
   * Runs fn (synchronous: a batch's deliveries) in one store transaction, with every event it
   * appends held back until that transaction has committed (GRIDIM-IM-20): one commit for the
   * batch, and still nobody learns of a message before it is kept. If fn throws, nothing is kept
   * and nothing shown.
   */
  together<R> (fn: () => R): R {
    return holdingEvents(() => this.#store.transaction(fn))
  }

  /**
   * GRIDIM-CLI-23: the client read every event up to cursor; the messages among them are read.
   * `soon`: at the end of this turn, with the other acks of the turn (MessageStore.readThroughSoon).
   */
  readThrough (agent: Agent, cursor: string, soon = false): void {
    if (!this.#store.open) return
    if (soon) this.#store.readThroughSoon(agent.sessionId, cursor)
    else this.#store.readThrough(agent.sessionId, cursor)
  }

  /** Typing notifications are best effort: never stored, never de-duplicated. */
  chatState (state: ChatState): boolean {
    const log = this.#agents.logFor(state.toUserId)
    log?.append('chatState', state)
    return log !== undefined
  }

  groupMessage (delivery: GroupMessageDelivery, userId: string): LocalResult | null {
    const log = this.#agents.logFor(userId)
    if (log === undefined) return null
    // GRIDIM-GRP-21: a repeat is the same messageId for the same session (a client may give
    // messages to two rooms one stanza id); the fault region-group-repeat-ignores-session drops the session.
    const session = this.#faults.has('region-group-repeat-ignores-session') ? '' : delivery.groupSessionId
    if (!this.#groupMessages.add(`${session} ${delivery.messageId} ${userId}`) && !this.#faults.has('region-repeats-group-messages')) {
      this.#metrics.duplicate++
      return 'duplicate'
    }
    const { toUserIds: _, ...message } = delivery
    log.append('groupMessage', message)
    return 'delivered'
  }

  /**
   * GRIDIM-SIGN-18: each notice for an agent here becomes an event, in order; every other
   * addressee is listed in notHere. GRIDIM-SIGN-9: an `offline` presence notice about an agent
   * addressed to itself means its session was replaced elsewhere, so the agent is dropped.
   */
  notices (notices: readonly Notice[]): { accepted: number, notHere: string[] } {
    let accepted = 0
    const notHere = new Set<string>()
    for (const notice of notices) {
      const log = this.#agents.logFor(notice.toUserId)
      if (log === undefined) {
        notHere.add(notice.toUserId)
        continue
      }
      // GRIDIM-SIGN-24: a repeat counts as accepted too; the fault counts only what it acts on anew.
      if (!this.#faults.has('repeated-notice-not-accepted')) accepted++
      if (!this.#notices.add(notice.noticeId) && !this.#faults.has('region-repeats-notices')) {
        this.#metrics.duplicate++
        continue
      }
      if (this.#faults.has('repeated-notice-not-accepted')) accepted++
      const { type, toUserId, ...data } = notice
      log.append(type, data)
      // GRIDIM-LOC-5: a user gone offline is no longer where the cache says.
      if (type === 'presence' && notice.status === 'offline' && !this.#faults.has('cache-kept-after-offline-presence')) this.#cache.evict(String(notice.userId))
      const agent = this.#agents.byUserId(toUserId)
      if (agent === undefined || agent.log !== log) continue
      applyNoticeToFriends(agent, notice, this.#faults)
      if (type === 'presence' && notice.userId === toUserId && notice.status === 'offline') {
        if (this.#faults.has('unread-dropped-on-replacement')) this.#store.forget(agent.sessionId)
        this.#agents.drop(agent)
      }
    }
    // The deliberate fault region-hides-not-here acknowledges every addressee as if hosted here.
    return { accepted, notHere: this.#faults.has('region-hides-not-here') ? [] : [...notHere] }
  }
}
