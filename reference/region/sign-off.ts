// Ending a session at the region's own initiative or its client's (logout, idle): GRIDIM-OFFL-14,
// GRIDIM-SIGN-21 — what the session left unread goes back before `signOff`. The agent is
// detached first, so nothing new arrives for the ending session (deliveries answer
// agent-not-here and are stored instead), and attached again if the user server cannot be told.
import { GridImError } from '../lib/errors/index.ts'
import type { Agent, Agents } from './agents.ts'
import type { MessageStore } from './message-store.ts'
import type { UnreadReturns } from './unread-returns.ts'
import type { UserServer } from './upstream.ts'

export type SignOffDeps = { agents: Agents, messages: MessageStore, returns: UnreadReturns, userServer: UserServer }

/** Throws the user server's refusal (the agent is kept); unknown-session means it has ended anyway. */
export async function signOffAgent (deps: SignOffDeps, agent: Agent, { dropUnread = false } = {}): Promise<void> {
  const { agents, messages, returns, userServer } = deps
  agents.detach(agent)
  try {
    // Only for the deliberate fault unread-dropped-on-logout (reference/lib/faults.ts).
    if (dropUnread) messages.forget(agent.sessionId)
    returns.ended(agent.sessionId)
    await returns.flush()
    await userServer('signOff', { params: { sessionId: agent.sessionId } })
  } catch (err) {
    if (!(err instanceof GridImError && (err.code === 'unknown-session' || err.code === 'not-your-agent'))) {
      agents.reattach(agent)
      throw err
    }
  }
  agents.drop(agent)
}
