// A sender's client sending one instant message the way a real client does when the grid
// fails under it: it picks the messageId itself and repeats the request with the SAME messageId
// after a connection error, a 5xx or `unavailable` until it gets an outcome, so that a repeat
// is never a second message (GRIDIM-CLI-17); it logs in again when its session died, and gives
// up only at a deadline. Every attempt and the final answer go into the ledger.
import { randomUUID } from 'node:crypto'
import { GridImError } from '../../reference/lib/errors/index.ts'
import { disposition, type ChaosClient } from './client.ts'
import type { Ledger } from './ledger.ts'

export type SendOptions = {
  /** Give up (error `deadline`) when no outcome came within this long of the first attempt. */
  deadlineMs: number
  /** How long one request may take. */
  timeoutMs?: number
}

const MAX_BACKOFF_MS = 2000

const codeOf = (err: unknown): string => err instanceof GridImError ? err.code : 'client-error'

export async function sendInstantMessage (client: ChaosClient, ledger: Ledger, toUserId: string, body: string, options: SendOptions): Promise<void> {
  const messageId = randomUUID()
  const startedAt = Date.now()
  ledger.began({ messageId, fromUserId: client.user.userId, toUserId, startedAt })
  for (let backoff = 200; ; backoff = Math.min(backoff * 2, MAX_BACKOFF_MS)) {
    if (client.stopped) return ledger.failed(messageId, 'stopped')
    if (Date.now() - startedAt > options.deadlineMs) return ledger.failed(messageId, 'deadline')
    let session
    try {
      session = await client.session()
    } catch (err) {
      return ledger.failed(messageId, codeOf(err))
    }
    ledger.attempted(messageId)
    try {
      const answer = await session.call('clientSendInstantMessage', {
        body: { toUserId, body, messageId }, timeoutMs: options.timeoutMs ?? 15_000
      })
      return ledger.settled(messageId, answer.outcome)
    } catch (err) {
      const next = disposition(err)
      if (next === 'fail') return ledger.failed(messageId, codeOf(err))
      if (next === 'login') client.drop(session)
      else await client.pause(backoff)
    }
  }
}
