// Client interface, session operations (openapi/client.yaml, spec chapters 3, 6 and 10): login,
// logout and teleport. The region does the grid work on the client's behalf.
import { GridImError } from '../lib/errors/index.ts'
import type { Agent } from './agents.ts'
import { agentOf } from './client-auth.ts'
import type { RegionContext } from './context.ts'
import { signOffAgent } from './sign-off.ts'
import type { Schema } from '../lib/contract/types.ts'
import type { ClientHandlers } from './client-contract.ts'

/** The user server's signOn answer (user-server.yaml SignOnResponse). */
export type SignOnResponse = Schema<'SignOnResponse'>

/** GRIDIM-SIGN-2: an unknown name and a wrong password get the same answer. */
const invalidCredentials = (): GridImError => new GridImError('invalid-credentials', 'Unknown user name or wrong password.')

export function sessionHandlers (ctx: RegionContext & { url: () => string }): ClientHandlers {
  const { agents, userServer } = ctx

  /** GRIDIM-LOC-15: the entering region refused; move the session back and keep the agent. */
  const takeBack = async (agent: Agent, cause: Error): Promise<void> => {
    ctx.logger.warn('hand-over refused; taking the agent back', { userId: agent.userId, error: cause.message })
    try {
      await userServer('updateLocation', { params: { sessionId: agent.sessionId }, body: { regionId: ctx.regionId } })
      if (agents.reattach(agent)) return
    } catch (err) {
      ctx.logger.error('could not take the agent back; its session is lost here', { userId: agent.userId, error: (err as Error).message })
    }
    agents.drop(agent)
  }

  return {
    // Seed steps 1–3, GRIDIM-CLI-1. The user id is looked up first so that deliveries arriving
    // while signOn is in flight are already accepted for it (GRIDIM-SIGN-5).
    clientLogin: async (input) => {
      const { firstName, lastName, password } = input.body
      let userId: string
      try {
        userId = (await userServer('lookupUser', { query: { name: `${firstName} ${lastName}` } })).userId
      } catch (err) {
        throw err instanceof GridImError && err.code === 'unknown-user' ? invalidCredentials() : err
      }
      const reservation = agents.reserve(userId)
      let session: SignOnResponse
      try {
        session = await userServer('signOn', { body: { firstName, lastName, password, regionId: ctx.regionId } })
      } catch (err) {
        reservation.release()
        throw err instanceof GridImError && err.code === 'invalid-credentials' ? invalidCredentials() : err
      }
      const { sessionId, sessionSecret, name, friends } = session
      const agent = agents.admit({ sessionId, sessionSecret, userId: session.userId, name, friends }, session.userId === userId ? reservation.log : undefined)
      reservation.release()
      ctx.offline.take(agent, session.offlineMessages, session.moreOfflineMessages)
      ctx.logger.debug('signed on', { userId: agent.userId, sessionId })
      return { body: { sessionId, sessionSecret, userId: agent.userId, name, friends, regionId: ctx.regionId } }
    },

    // Seed step 6, GRIDIM-CLI-4, GRIDIM-SIGN-12. A lost first answer makes the retry see
    // unknown-session, which means the session has ended all the same.
    // GRIDIM-OFFL-14: what the session left unread goes back to the offline store first, so
    // that a sign-on right after the logout finds it there.
    clientLogout: async (input) => {
      const agent = agentOf(agents, input)
      await signOffAgent(ctx, agent, { dropUnread: ctx.faults.has('unread-dropped-on-logout') })
      ctx.logger.debug('signed off', { userId: agent.userId, sessionId: agent.sessionId })
      return { status: 204 }
    },

    // GRIDIM-CLI-20, chapter 6: move the session (updateLocation), then hand the agent over
    // (acceptAgent) at the URL the directory gives for the target (getRegion).
    clientTeleport: async (input) => {
      const agent = agentOf(agents, input)
      const { regionId } = input.body
      if (regionId === ctx.regionId) return { body: { regionId, regionUrl: ctx.url() } }
      const target = await userServer('getRegion', { params: { regionId } })
      // GRIDIM-ERR-4: no current lease is unknown-region; the fault teleport-to-lapsed-region-unavailable answers unavailable.
      if (!target.online || target.url === null) throw new GridImError(ctx.faults.has('teleport-to-lapsed-region-unavailable') ? 'unavailable' : 'unknown-region', `Region ${regionId} holds no current lease.`)
      await userServer('updateLocation', { params: { sessionId: agent.sessionId }, body: { regionId } })
      // GRIDIM-LOC-10: from now on deliveries for the agent here answer agent-not-here.
      agents.detach(agent)
      const { sessionId, sessionSecret, userId, name, friends } = agent
      try {
        await ctx.peer.call(target.url, 'acceptAgent', { body: { sessionId, sessionSecret, userId, name, friends } }) // GRIDIM-LOC-11
      } catch (err) {
        await takeBack(agent, err as Error)
        throw err
      }
      // GRIDIM-CLI-21: the old log stays readable for the read window; the fault forgets it at once.
      if (ctx.faults.has('handover-log-dropped')) agents.drop(agent)
      else agents.depart(agent)
      ctx.logger.debug('agent left', { userId, to: regionId })
      return { body: { regionId, regionUrl: target.url } }
    }
  }
}
