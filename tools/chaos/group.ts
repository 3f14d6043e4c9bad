// Group traffic under failures and its books. Members' clients send group messages the way a
// real client does (its own messageId, the same one repeated after no answer, a 5xx or a dead
// session: GRIDIM-GRP-15 makes the repeat safe), and every member's client reads the session's
// messages from its event log. A group message is not stored for an absent member (chapter 9):
// who must read it are the members present when it was accepted, which the harness knows only
// from outside — a member counts for a message when it was in the session from before the send
// began until `graceMs` after the sender was told it was sent (the time the forward takes), and
// its session was seen alive then. Anything a member read beyond that is reported, not an error.
// A message whose forward may have been left to a user-server instance that then died reaches the
// regions only once that instance's outbox rows lapse (GRIDIM-GRP-31), seconds later: it is due
// only to the members still present then (instanceDied).
import { randomUUID } from 'node:crypto'
import type { ClientSession } from '../../conformance/lib/client-session.ts'
import { GridImError } from '../../reference/lib/errors/index.ts'
import { disposition, type ChaosClient } from './client.ts'

type Interval = { from: number, to: number | null }

export type GroupSendRecord = {
  messageId: string
  fromUserId: string
  startedAt: number
  attempts: number
  /** When the sender was told the message was sent. */
  answeredAt?: number
  error?: string
  /** When it ended with `error`. */
  failedAt?: number
}

export type GroupCounts = {
  /** Group messages the senders began. */
  attempted: number
  /** Answered 200: the sender was told the grid took it. */
  sent: number
  errors: number
  errorCodes: Record<string, number>
  pending: number
  retries: number
  /** (member, message) pairs: sent messages each member present must read. */
  expected: number
  /** Of those, read (each once after de-duplication by messageId). */
  read: number
  /** Expected and never read. */
  lost: number
  /** Sent messages with at least one member present that never read it. */
  lostMessages: number
  /** Raw repeats: reads of a message by a member beyond its first (hidden by messageId). */
  duplicated: number
  /** Reads by a member the books did not count as present (joined or left around the send): not errors. */
  readBeyondExpected: number
  /** Reads of a message no member sent, or by someone never a member. */
  misdelivered: number
}

export type LostGroupMessage = { messageId: string, fromUserId: string, startedAt: number, answeredAt: number, attempts: number, missing: string[] }

export class GroupLedger {
  readonly #sends = new Map<string, GroupSendRecord>()
  /** userId → membership intervals as the harness saw them (from: answer of start/join; to: sign-off or last sign of life). */
  readonly #membership = new Map<string, Interval[]>()
  /** Instances that died: when, and how long their outbox rows take to be sent by another. */
  readonly #deaths: Array<{ at: number, outboxMs: number }> = []
  /** `${reader} ${messageId}` → reads. */
  readonly #reads = new Map<string, number>()
  #misdelivered = 0
  readonly graceMs: number

  constructor ({ graceMs }: { graceMs: number }) {
    this.graceMs = graceMs
  }

  joined (userId: string, at: number): void {
    const intervals = this.#membership.get(userId) ?? []
    if (intervals.at(-1)?.to === null) return
    intervals.push({ from: at, to: null })
    this.#membership.set(userId, intervals)
  }

  /** Ends the member's current interval at `at` (no-op when none is open). */
  left (userId: string, at: number): void {
    const last = this.#membership.get(userId)?.at(-1)
    if (last !== undefined && last.to === null) last.to = at
  }

  isMember (userId: string): boolean {
    return this.#membership.get(userId)?.at(-1)?.to === null
  }

  began (messageId: string, fromUserId: string, startedAt: number): void {
    this.#sends.set(messageId, { messageId, fromUserId, startedAt, attempts: 0 })
  }

  attempted (messageId: string): void { this.#sends.get(messageId)!.attempts++ }
  settled (messageId: string, at: number): void { this.#sends.get(messageId)!.answeredAt = at }
  failed (messageId: string, error: string): void { Object.assign(this.#sends.get(messageId)!, { error, failedAt: Date.now() }) }

  /** Messages that ended with an error, and how many members read each anyway. */
  errors (): Array<GroupSendRecord & { readBy: number }> {
    return [...this.#sends.values()].filter((r) => r.error !== undefined).map((r) => ({ ...r, readBy: [...this.#reads.keys()].filter((k) => k.endsWith(` ${r.messageId}`)).length }))
  }

  read (readerUserId: string, messageId: string): void {
    if (!this.#sends.has(messageId) || !this.#membership.has(readerUserId)) {
      this.#misdelivered++
      return
    }
    const key = `${readerUserId} ${messageId}`
    this.#reads.set(key, (this.#reads.get(key) ?? 0) + 1)
  }

  /**
   * A user-server instance died at `at`. A message begun before then and answered less than the
   * grace before it (or after it: a repeat answered from the dead instance's claim) may have its
   * forwards only in that instance's outbox rows, which another instance sends once they lapse,
   * `outboxMs` later (GRIDIM-GRP-31). A member gone meanwhile is not sent it later (GRIDIM-GRP-20).
   */
  instanceDied (at: number, outboxMs: number): void {
    this.#deaths.push({ at, outboxMs })
  }

  /**
   * The members who must read `r`: in the session throughout [startedAt, answeredAt + grace], or,
   * for a message whose forwards an instance's death may have put off (instanceDied), until the
   * grace after its outbox rows are sent again.
   */
  expectedReaders (r: GroupSendRecord): string[] {
    if (r.answeredAt === undefined) return []
    let until = r.answeredAt + this.graceMs
    for (const death of this.#deaths) {
      if (r.startedAt <= death.at && death.at < r.answeredAt + this.graceMs) until = Math.max(until, death.at + death.outboxMs + this.graceMs)
    }
    return [...this.#membership].filter(([, intervals]) => intervals.some((i) => i.from <= r.startedAt && (i.to === null || i.to >= until))).map(([userId]) => userId)
  }

  /** Sent messages some present member has not read yet. */
  unread (): number {
    let n = 0
    for (const r of this.#sends.values()) for (const u of this.expectedReaders(r)) if (!this.#reads.has(`${u} ${r.messageId}`)) n++
    return n
  }

  lostMessages (): LostGroupMessage[] {
    const lost: LostGroupMessage[] = []
    for (const r of this.#sends.values()) {
      const missing = this.expectedReaders(r).filter((u) => !this.#reads.has(`${u} ${r.messageId}`))
      if (missing.length > 0) lost.push({ messageId: r.messageId, fromUserId: r.fromUserId, startedAt: r.startedAt, answeredAt: r.answeredAt!, attempts: r.attempts, missing })
    }
    return lost
  }

  get (messageId: string): GroupSendRecord | undefined { return this.#sends.get(messageId) }

  counts (): GroupCounts {
    const c: GroupCounts = { attempted: this.#sends.size, sent: 0, errors: 0, errorCodes: {}, pending: 0, retries: 0, expected: 0, read: 0, lost: 0, lostMessages: 0, duplicated: 0, readBeyondExpected: 0, misdelivered: this.#misdelivered }
    for (const n of this.#reads.values()) c.duplicated += n - 1
    let readExpected = 0
    for (const r of this.#sends.values()) {
      c.retries += Math.max(0, r.attempts - 1)
      if (r.answeredAt === undefined) {
        if (r.error !== undefined) { c.errors++; c.errorCodes[r.error] = (c.errorCodes[r.error] ?? 0) + 1 } else c.pending++
        continue
      }
      c.sent++
      const expected = this.expectedReaders(r)
      const read = expected.filter((u) => this.#reads.has(`${u} ${r.messageId}`)).length
      c.expected += expected.length
      c.read += read
      c.lost += expected.length - read
      if (read < expected.length) c.lostMessages++
      readExpected += read
    }
    let readAll = 0
    for (const key of this.#reads.keys()) if (this.#sends.get(key.split(' ')[1]!)?.answeredAt !== undefined) readAll++
    c.readBeyondExpected = readAll - readExpected
    return c
  }
}

const MAX_BACKOFF_MS = 2000
const codeOf = (err: unknown): string => err instanceof GridImError ? err.code : 'client-error'

/** One group message, sent until an answer, repeated with the same messageId (GRIDIM-GRP-15). */
export async function sendGroupMessage (client: ChaosClient, ledger: GroupLedger, groupSessionId: string, body: string, { deadlineMs }: { deadlineMs: number }): Promise<void> {
  const messageId = randomUUID()
  const startedAt = Date.now()
  ledger.began(messageId, client.user.userId, startedAt)
  for (let backoff = 200; ; backoff = Math.min(backoff * 2, MAX_BACKOFF_MS)) {
    if (client.stopped) return ledger.failed(messageId, 'stopped')
    if (Date.now() - startedAt > deadlineMs) return ledger.failed(messageId, 'deadline')
    let session
    try {
      session = await client.session()
    } catch (err) {
      return ledger.failed(messageId, codeOf(err))
    }
    ledger.attempted(messageId)
    try {
      await session.call('clientSendGroupMessage', { params: { groupSessionId }, body: { body, messageId }, timeoutMs: 15_000 })
      return ledger.settled(messageId, Date.now())
    } catch (err) {
      const next = disposition(err)
      if (next === 'fail') return ledger.failed(messageId, codeOf(err))
      if (next === 'login') client.drop(session)
      else await client.pause(backoff)
    }
  }
}

/** A steady stream of group messages, the senders taking turns, each send on its own. */
export class GroupTraffic {
  readonly #inFlight = new Set<Promise<void>>()
  #timer: NodeJS.Timeout | undefined
  begun = 0

  constructor (private readonly senders: ChaosClient[], private readonly ledger: GroupLedger, private readonly groupSessionId: string,
    private readonly options: { ratePerSecond: number, deadlineMs: number }) {
    if (senders.length === 0 || !(options.ratePerSecond > 0)) throw new RangeError('group traffic needs senders and a positive rate')
  }

  start (): void {
    this.#timer ??= setInterval(() => {
      const sender = this.senders[this.begun % this.senders.length]!
      const sending = sendGroupMessage(sender, this.ledger, this.groupSessionId, `group ${this.begun++}`, { deadlineMs: this.options.deadlineMs })
      this.#inFlight.add(sending)
      void sending.finally(() => this.#inFlight.delete(sending))
    }, 1000 / this.options.ratePerSecond)
  }

  async stop (): Promise<void> {
    clearInterval(this.#timer)
    await Promise.all(this.#inFlight)
  }
}

/**
 * A member rejoins after a sign-on (GRIDIM-GRP-10 removed it when its session ended), repeating
 * while the grid cannot answer; the books count it a member from the answer on. Never throws:
 * a refusal is recorded and the member stays out.
 */
export async function rejoin (client: ChaosClient, session: ClientSession, ledger: GroupLedger, groupSessionId: string, refusals: Array<{ code: string, at: number }>): Promise<void> {
  ledger.left(client.user.userId, client.aliveAt)
  for (let backoff = 100; !client.stopped; backoff = Math.min(backoff * 2, MAX_BACKOFF_MS)) {
    try {
      await session.call('clientJoinGroupSession', { params: { groupSessionId } })
      ledger.joined(client.user.userId, Date.now())
      return
    } catch (err) {
      if (disposition(err) !== 'retry') { refusals.push({ code: codeOf(err), at: Date.now() }); return }
      await new Promise((resolve) => setTimeout(resolve, backoff))
    }
  }
}
