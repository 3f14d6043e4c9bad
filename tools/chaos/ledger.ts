// The chaos run's books, kept by messageId: what each sender was told about each message it sent
// (an outcome — the grid took it — or an error) and how many times its recipient's client read
// it. A message the sender was told was taken and its recipient never read is lost; a message
// read more than once is a raw repeat, which a real client hides by showing each messageId once
// (GRIDIM-CLI-22) but which the counts report separately.

import type { Schema } from '../../reference/lib/contract/types.ts'

/** `clientSendInstantMessage` outcomes, from the contract: each one says the grid has taken the message on. */
export type Outcome = Schema<'SendInstantMessageResponse'>['outcome']

export type SendRecord = {
  messageId: string
  fromUserId: string
  toUserId: string
  startedAt: number
  /** Requests made for this messageId (1 + retries with the same messageId, GRIDIM-CLI-17). */
  attempts: number
  outcome?: Outcome
  /** The code of the error the sender finally got (or `deadline`), when it got no outcome. */
  error?: string
}

export type ChaosCounts = {
  /** Messages the senders began to send. */
  attempted: number
  /** Messages answered with an outcome: the client was told the grid took them. */
  sent: number
  outcomes: Record<Outcome, number>
  /** Messages that ended with an error instead (not counted as sent). */
  errors: number
  errorCodes: Record<string, number>
  /** Messages still waiting for an outcome when the counts were taken. */
  pending: number
  /** Requests beyond the first, all with the same messageId. */
  retries: number
  /** Sent messages their recipient read at least once. */
  read: number
  /** Reads of sent messages by their recipient, repeats included. */
  readRaw: number
  /** Raw repeats (reads beyond the first of any message), what client-side de-duplication hides. */
  duplicated: number
  /** Sent (told taken) and never read by their recipient. */
  lost: number
  /** Messages without an outcome (an error, or still pending) that the recipient read anyway. */
  readWithoutOutcome: number
  /** Instant messages read by someone other than their recipient, or never sent by a sender. */
  misdelivered: number
}

export class Ledger {
  readonly #sends = new Map<string, SendRecord>()
  /** messageId → times its recipient read it. */
  readonly #reads = new Map<string, number>()
  #misdelivered = 0

  began (record: Omit<SendRecord, 'attempts'>): void {
    if (this.#sends.has(record.messageId)) throw new Error(`messageId ${record.messageId} sent twice by the harness`)
    this.#sends.set(record.messageId, { ...record, attempts: 0 })
  }

  attempted (messageId: string): void {
    this.#record(messageId).attempts++
  }

  settled (messageId: string, outcome: Outcome): void {
    this.#record(messageId).outcome = outcome
  }

  failed (messageId: string, error: string): void {
    this.#record(messageId).error = error
  }

  /** An instant message event read by `readerUserId`'s client. */
  read (readerUserId: string, messageId: string): void {
    const record = this.#sends.get(messageId)
    if (record === undefined || record.toUserId !== readerUserId) {
      this.#misdelivered++
      return
    }
    this.#reads.set(messageId, (this.#reads.get(messageId) ?? 0) + 1)
  }

  /** Sent messages (told taken) that `userId` has not read yet. */
  unread (userId?: string): number {
    let n = 0
    for (const r of this.#sends.values()) {
      if (r.outcome !== undefined && (userId === undefined || r.toUserId === userId) && !this.#reads.has(r.messageId)) n++
    }
    return n
  }

  /** The ids of sent messages never read, for the report. */
  lostIds (): string[] {
    return [...this.#sends.values()].filter((r) => r.outcome !== undefined && !this.#reads.has(r.messageId)).map((r) => r.messageId)
  }

  get (messageId: string): SendRecord | undefined {
    return this.#sends.get(messageId)
  }

  counts (): ChaosCounts {
    const c: ChaosCounts = {
      attempted: this.#sends.size, sent: 0, outcomes: { delivered: 0, stored: 0, accepted: 0 }, errors: 0, errorCodes: {}, pending: 0,
      retries: 0, read: 0, readRaw: 0, duplicated: 0, lost: 0, readWithoutOutcome: 0, misdelivered: this.#misdelivered
    }
    for (const r of this.#sends.values()) {
      const reads = this.#reads.get(r.messageId) ?? 0
      c.retries += Math.max(0, r.attempts - 1)
      c.duplicated += Math.max(0, reads - 1)
      if (r.outcome !== undefined) {
        c.sent++
        c.outcomes[r.outcome]++
        if (reads > 0) { c.read++; c.readRaw += reads } else c.lost++
        continue
      }
      if (r.error !== undefined) {
        c.errors++
        c.errorCodes[r.error] = (c.errorCodes[r.error] ?? 0) + 1
      } else c.pending++
      if (reads > 0) c.readWithoutOutcome++
    }
    return c
  }

  #record (messageId: string): SendRecord {
    const record = this.#sends.get(messageId)
    if (record === undefined) throw new Error(`messageId ${messageId} was never begun`)
    return record
  }
}
