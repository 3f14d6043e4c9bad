// The notices one change causes (a sign-on, a lapse, a rights change...). They are collected
// first and sent together, so that each destination region gets one `deliverNotices` request
// carrying all of them (GRIDIM-SIGN-14), sent at once (GRIDIM-SIGN-15).
import { randomUUID } from 'node:crypto'
import type { Notice, NoticeContent } from '../../lib/contract/types.ts'
import type { Courier } from './courier.ts'
import type { Locate } from './locator.ts'
import { groupByRegion, type Target } from './routing.ts'

type Entry = { notice: Notice, at?: Target }

export class NoticeBatch {
  readonly #entries: Entry[] = []
  #sent = false

  constructor (private readonly courier: Courier, private readonly locate: Locate) {}

  /** A notice for `toUserId` wherever that user is when the batch is sent; dropped if offline. */
  add (toUserId: string, content: NoticeContent): this {
    this.#entries.push({ notice: { noticeId: randomUUID(), toUserId, ...content } })
    return this
  }

  /** A notice for a region that no longer hosts the user (GRIDIM-SIGN-8). */
  addAt (target: Target, toUserId: string, content: NoticeContent): this {
    this.#entries.push({ notice: { noticeId: randomUUID(), toUserId, ...content }, at: target })
    return this
  }

  /** Sends the batch: one request per destination region. Returns how many regions. */
  async send (): Promise<number> {
    if (this.#sent) throw new Error('a notice batch is sent once')
    this.#sent = true
    const located = await this.locate([...new Set(this.#entries.filter((e) => !e.at).map((e) => e.notice.toUserId))])
    const byRegion = groupByRegion(this.#entries, (e) => e.at ?? located.get(e.notice.toUserId))
    // A notice addressed to a region explicitly is for that region only: never re-routed.
    const explicit = new Set(this.#entries.filter((e) => e.at).map((e) => e.notice.noticeId))
    for (const { target, items } of byRegion) {
      this.courier.deliverNotices(target, items.map((e) => e.notice), (n) => !explicit.has(n.noticeId))
    }
    return byRegion.length
  }
}
