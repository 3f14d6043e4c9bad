// Handing things to agents hosted here: each becomes one client event in the agent's log
// (GRIDIM-CLI-5). Messages and notices are de-duplicated by id, so a retry never shows twice
// (GRIDIM-IM-14, GRIDIM-GRP-21, GRIDIM-SIGN-19).
import type { Agents } from './agents.ts'
import type { LocalResult } from './delivery.ts'
import { applyNoticeToFriends } from './friends.ts'
import type { LocationCache } from './location-cache.ts'
import { RecentIds } from './recent-ids.ts'
import type { ChatState, GroupMessageDelivery, InstantMessage, Notice } from './types.ts'
import type { RegionMetrics } from './upstream.ts'

export class Inbox {
  readonly #agents: Agents
  readonly #cache: LocationCache
  readonly #metrics: RegionMetrics
  readonly #messages: RecentIds
  readonly #notices: RecentIds

  constructor (agents: Agents, cache: LocationCache, metrics: RegionMetrics, now: () => number = Date.now) {
    this.#agents = agents
    this.#cache = cache
    this.#metrics = metrics
    this.#messages = new RecentIds({ now })
    this.#notices = new RecentIds({ now })
  }

  /** True when this messageId was handed to an agent here before. */
  seen (messageId: string): boolean {
    return this.#messages.has(messageId)
  }

  /** An instant message, live or from the offline store; null when the recipient is not here. */
  instantMessage (im: InstantMessage): LocalResult | null {
    if (this.#messages.has(im.messageId)) {
      this.#metrics.duplicate++
      return 'duplicate'
    }
    const log = this.#agents.logFor(im.toUserId)
    if (log === undefined) return null
    this.#messages.add(im.messageId)
    log.append('instantMessage', im)
    this.#metrics.delivered++
    return 'delivered'
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
    if (!this.#messages.add(`${delivery.messageId} ${userId}`)) {
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
      accepted++
      if (!this.#notices.add(notice.noticeId)) {
        this.#metrics.duplicate++
        continue
      }
      const { type, toUserId, ...data } = notice
      log.append(type, data)
      // GRIDIM-LOC-5: a user gone offline is no longer where the cache says.
      if (type === 'presence' && notice.status === 'offline') this.#cache.evict(String(notice.userId))
      const agent = this.#agents.byUserId(toUserId)
      if (agent === undefined || agent.log !== log) continue
      applyNoticeToFriends(agent, notice)
      if (type === 'presence' && notice.userId === toUserId && notice.status === 'offline') this.#agents.drop(agent)
    }
    return { accepted, notHere: [...notHere] }
  }
}
