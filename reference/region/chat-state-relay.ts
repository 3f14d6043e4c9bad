// Relaying a chat state to the recipient's region (GRIDIM-IM-18): the location rules of an
// instant message — the cache, else locateUser; after `agent-not-here` exactly one fresh lookup
// and exactly one more attempt (GRIDIM-IM-4) — but best effort: a chat state is never retried
// after a transient failure and never stored (GRIDIM-IM-19), since it is worth nothing late.
import { GridImError } from '../lib/errors/index.ts'
import type { ChatState } from '../lib/contract/types.ts'
import type { RegionContext } from './context.ts'

/** Resolves once the chat state is delivered, or given up on; never rejects. */
export async function relayChatState (ctx: RegionContext, chatState: ChatState): Promise<void> {
  const { toUserId, fromUserId } = chatState
  try {
    for (let round = 0; round < 2; round++) {
      let location = round === 0 ? ctx.cache.get(toUserId) : undefined
      if (location === undefined) {
        const found = await ctx.userServer('locateUser', { params: { userId: toUserId }, query: { for: fromUserId } })
        if (found.regionId === undefined || found.regionUrl === undefined || found.regionId === ctx.regionId) return
        location = { regionId: found.regionId, url: found.regionUrl }
        ctx.cache.set(toUserId, location)
      }
      if (location.regionId === ctx.regionId) return
      try {
        await ctx.peer.call(location.url, 'deliverChatState', { body: chatState, timeoutMs: ctx.delivery.timeoutMs })
        return
      } catch (err) {
        if (!(err instanceof GridImError && err.code === 'agent-not-here')) throw err
        ctx.cache.evict(toUserId)
        // The deliberate fault chat-state-not-relocated gives up here, as before issue 14.
        if (ctx.faults.has('chat-state-not-relocated')) throw err
      }
    }
  } catch (err) {
    ctx.logger.debug('chat state not delivered', { toUserId, error: (err as Error).message })
  }
}
