// updateLocation — border crossings and teleports; GRIDIM-LOC-6..9, GRIDIM-LOC-15. The session
// keeps its id and secret and nobody is told (presence did not change).
import { GridImError } from '../../lib/errors/index.ts'
import type { HandlerFor, PeerPrincipal } from '../../lib/http/index.ts'
import { signerOf } from '../auth/acting-for.ts'
import type { UserServerContext } from '../context.ts'
import { regionTarget } from '../notices/locator.ts'
import { announceMove } from '../presence/announce-move.ts'

export function updateLocation (ctx: UserServerContext): HandlerFor<'user-server', 'updateLocation', PeerPrincipal> {
  const { store } = ctx
  return async (input) => {
    const sessionId = input.params.sessionId
    const to = input.body.regionId
    const session = await store.getSession(sessionId)
    if (session === null) throw new GridImError('unknown-session', `no session ${sessionId}`)
    const signer = signerOf(input)
    const now = ctx.now()
    if (await regionTarget(store, to, now) === undefined) throw new GridImError('unknown-region', `region ${to} holds no current lease`)
    // GRIDIM-LOC-15: the region the session just left may take it back once, for 60 s. Taken,
    // not only read: of an undo and a confirmation at once (on two instances), one gets it.
    const mayUndo = session.regionId !== signer && to === signer
    const handover = mayUndo ? await ctx.handovers.take(sessionId, now) : undefined
    const undo = handover?.fromRegionId === signer
    try {
      if (session.regionId !== signer && !undo) throw new GridImError('not-your-agent', 'the session is placed at another region')
      if ((await store.getRegion(to))!.kind === 'gateway') throw new GridImError('forbidden', 'agents cannot move into the gateway')
    } catch (error) {
      // Not this request's to take: left for whoever it belongs to.
      if (handover !== undefined) await ctx.handovers.set(sessionId, handover, now)
      throw error
    }
    await store.moveSession(sessionId, to)
    if (ctx.faults.has('move-announced-to-friends')) await announceMove(ctx, session.userId)
    if (!undo && to !== session.regionId) await ctx.handovers.set(sessionId, { fromRegionId: session.regionId }, now)
    return { status: 204 }
  }
}
