// Client interface, events (openapi/client.yaml, spec chapter 10): the session's log read by
// cursor, as a long poll (clientListEvents) or as server-sent events (clientStreamEvents).
// Reading deletes nothing; a cursor the client sends acknowledges everything up to it
// (GRIDIM-CLI-10), which is when stored offline messages are acknowledged to the user server.
import { GridImError } from '../lib/errors/index.ts'
import type { Agent } from './agents.ts'
import type { EventLog } from './event-log.ts'
import { agentOf, readerOf } from './client-auth.ts'
import type { ClientHandlers } from './client-contract.ts'
import type { RegionContext } from './context.ts'
import { openEventStream } from './sse.ts'

/** Longest long poll, whatever the client asks (the contract's maximum for `wait`). */
const MAX_WAIT_SECONDS = 30
/** Events per page; the client asks again from the returned cursor for more. */
const PAGE_SIZE = 500

/** GRIDIM-CLI-12: a cursor this session's log never issued, or has discarded, is refused. */
export function checkCursor (agent: Agent, cursor: unknown, where: string): string | undefined {
  if (cursor === undefined) return undefined
  const value = String(cursor)
  if (!agent.log.knows(value)) {
    throw new GridImError('invalid-request', `${where}: ${value} names no event of this session; resynchronise with clientListFriends`)
  }
  return value
}

/**
 * The faults long-poll-held-for-wait (no listening for appends while a poll is held) and
 * session-end-leaves-polls (no answer when the session's log closes): a wait that ignores one of
 * the two, answering at once only when events are already there.
 */
async function faultyWait (log: EventLog, after: string | undefined, ms: number, ignore: 'appends' | 'close'): Promise<void> {
  if (ms <= 0 || log.after(after).events.length > 0) return
  await new Promise<void>((resolve) => {
    const done = (): void => { clearTimeout(timer); unsubscribe(); resolve() }
    const timer = setTimeout(done, ms)
    const unsubscribe = log.subscribe((event) => { if ((event === null) === (ignore === 'appends')) done() })
  })
}

/**
 * GRIDIM-CLI-10, -23, -25: the client has processed everything up to `cursor` (none when it is
 * undefined) — from clientListEvents' `after`, Last-Event-ID, or the client stream's hello and
 * ack. Reading past an instant message, also in a handed-over session's old log, makes it read;
 * stored messages are acknowledged only by the region hosting the session.
 */
export async function readThrough (ctx: RegionContext, agent: Agent, cursor: string | undefined, unanswered = false): Promise<void> {
  if (cursor === undefined) return
  // An ack that is not answered (the stream's) is committed with the other acks of this turn.
  ctx.inbox.readThrough(agent, cursor, unanswered)
  if (ctx.agents.byUserId(agent.userId) === agent) await ctx.offline.readThrough(agent, cursor)
}

export function eventHandlers (ctx: RegionContext): ClientHandlers {
  return {
    // GRIDIM-CLI-7, -9; a session handed over in the last minute still reads here (GRIDIM-CLI-21).
    clientListEvents: async (input) => {
      const agent = readerOf(ctx.agents, input)
      const after = checkCursor(agent, input.query.after, 'query parameter after')
      const wait = Math.min(Number(input.query.wait ?? 0), MAX_WAIT_SECONDS)
      await readThrough(ctx, agent, after)
      if (ctx.faults.has('long-poll-held-for-wait')) await faultyWait(agent.log, after, wait * 1000, 'appends')
      else if (ctx.faults.has('session-end-leaves-polls')) await faultyWait(agent.log, after, wait * 1000, 'close')
      else await agent.log.waitAfter(after, wait * 1000)
      return { body: agent.log.after(after, PAGE_SIZE) }
    },

    // GRIDIM-CLI-13, -14, -15: resumes after Last-Event-ID, keep-alive comments every 15 s.
    clientStreamEvents: async (input) => {
      const agent = agentOf(ctx.agents, input)
      const header = input.headers['last-event-id']
      const after = checkCursor(agent, Array.isArray(header) ? header[0] : header, 'header Last-Event-ID')
      if (!ctx.faults.has('sse-last-event-id-not-ack')) await readThrough(ctx, agent, after)
      agent.streams++
      const { stream, close } = openEventStream(agent.log, after, {
        heartbeatMs: ctx.heartbeatSeconds * 1000,
        endsWithLog: !ctx.faults.has('session-end-leaves-polls'),
        onClose: () => {
          agent.streams--
          ctx.agents.touch(agent)
        }
      })
      input.request.raw.res.once('close', close)
      return { stream, contentType: ctx.faults.has('sse-served-as-text-plain') ? 'text/plain' : 'text/event-stream', headers: { 'cache-control': 'no-cache' } }
    }
  }
}
