// signOff — seed step 6; GRIDIM-SIGN-10, GRIDIM-SIGN-11, GRIDIM-SEC-8, GRIDIM-GRP-10.
import { GridImError } from '../../lib/errors/index.ts'
import type { HandlerFor, PeerPrincipal } from '../../lib/http/index.ts'
import { signerOf } from '../auth/acting-for.ts'
import type { UserServerContext } from '../context.ts'
import { sessionsEnded } from '../sessions/end-sessions.ts'

export function signOff (ctx: UserServerContext): HandlerFor<'user-server', 'signOff', PeerPrincipal> {
  const { store } = ctx
  return async (input) => {
    const session = await store.getSession(input.params.sessionId)
    if (session === null) throw new GridImError('unknown-session', `no session ${input.params.sessionId}`)
    if (session.regionId !== signerOf(input)) throw new GridImError('not-your-agent', 'the session is placed at another region')
    const batch = ctx.batch()
    await store.transaction(async (tx) => {
      // Only the session this request ended: one replaced meanwhile by a sign-on (on another
      // instance) or ended by a lapsed lease is not announced offline again.
      const ended = await tx.endSession(session.sessionId)
      if (ended !== null) await sessionsEnded({ ...ctx, store: tx }, [ended], batch, { announceOffline: true })
    })
    await batch.send()
    return { status: 204 }
  }
}
