// acceptAgent — border crossing or teleport, the entering region's side (chapter 6). The agent
// is hosted only when the user server confirms the hand-over (GRIDIM-LOC-12): a move it made
// itself, from the region that signed this request, with the session's own secret, confirmed
// once. A region that only asked `locateUser` would host anyone's session with a secret of the
// sender's choosing, since the user already stands placed here.
import { GridImError } from '../lib/errors/index.ts'
import type { Schema } from '../lib/contract/types.ts'
import { sameSecret, type AgentState } from './agents.ts' // GRIDIM-SEC-10
import type { RegionContext } from './context.ts'
import type { RegionHandler } from './region-api.ts'

type Handover = Parameters<RegionHandler<'acceptAgent'>>[0]
type Accepted = { body: Schema<'AgentAccepted'> }

const notYourAgent = (userId: string, why: string): GridImError =>
  new GridImError('not-your-agent', `User ${userId} was not handed over to this region: ${why}.`)

/** The user server's refusals of confirmHandover: no such hand-over, or nothing it names exists. */
const REFUSED: ReadonlySet<string> = new Set(['not-your-agent', 'unknown-session', 'unknown-user', 'unknown-region'])

/** GRIDIM-LOC-12: the user server's word that this is the hand-over it knows. */
async function confirm (ctx: RegionContext, state: AgentState, fromRegionId: string): Promise<void> {
  try {
    await ctx.userServer('confirmHandover', {
      params: { sessionId: state.sessionId },
      body: { userId: state.userId, fromRegionId, sessionSecret: state.sessionSecret }
    })
  } catch (err) {
    // Refused or unknown: either way not a hand-over to host. Anything else (the user server
    // unreachable) is passed on as it is, so the leaving region keeps the agent (GRIDIM-LOC-15).
    if (err instanceof GridImError && REFUSED.has(err.code)) {
      throw notYourAgent(state.userId, 'the user server does not confirm it')
    }
    throw err
  }
}

/** The fault region-trusts-any-handover: the check GridIM made before issue 11, kept to prove the runner catches it. */
async function placedHere (ctx: RegionContext, state: AgentState): Promise<boolean> {
  const found = await ctx.userServer('locateUser', { params: { userId: state.userId }, query: { for: state.userId } })
  if (found.regionId !== ctx.regionId) throw notYourAgent(state.userId, 'the user server places the user elsewhere')
  const current = ctx.agents.byUserId(state.userId)
  return current?.sessionId === state.sessionId && current.sessionSecret === state.sessionSecret
}

export async function acceptAgent (ctx: RegionContext, input: Handover): Promise<Accepted> {
  const state: AgentState = input.body
  const accepted: Accepted = { body: { sessionId: state.sessionId, userId: state.userId, regionId: ctx.regionId } }
  if (ctx.faults.has('region-trusts-any-handover')) {
    if (await placedHere(ctx, state)) return accepted
  } else {
    const current = ctx.agents.byUserId(state.userId)
    if (current?.sessionId === state.sessionId) {
      // GRIDIM-LOC-18: a repeat of a hand-over already done changes nothing; another secret for
      // the same session is a forgery and leaves the hosted agent as it is.
      if (sameSecret(current.sessionSecret, state.sessionSecret)) return accepted
      throw notYourAgent(state.userId, 'this region already hosts that session')
    }
    // The keyid of the verified signature, never a member of the body: only the region the
    // session left may hand it over.
    await confirm(ctx, state, input.principal.keyId)
  }
  const agent = ctx.agents.admit(state) // GRIDIM-LOC-13
  // GRIDIM-LOC-14: messages stored while the agent was between regions come now.
  await ctx.offline.fetch(agent)
  ctx.logger.debug('agent arrived', { userId: state.userId, from: input.principal.keyId })
  return accepted
}
