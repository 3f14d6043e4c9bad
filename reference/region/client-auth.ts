// The client interface's bearer credential (RFC 6750): the session secret returned by
// clientLogin. It works only at the region hosting the session (GRIDIM-CLI-2), and stops at
// logout or sign-off elsewhere; after a hand-over it still reads the old log for a minute.
import { GridImError } from '../lib/errors/index.ts'
import { NO_FAULTS, type Fault } from '../lib/faults.ts'
import type { Authenticator, Principal } from '../lib/http/index.ts'
import type { Agent, Agents } from './agents.ts'

const refused = (): GridImError => new GridImError('unauthenticated', 'Missing, malformed or unknown session secret.')

export function bearerAuthenticator (agents: Agents, faults: ReadonlySet<Fault> = NO_FAULTS, limit = sessionRateLimit(faults)): Authenticator {
  return (raw) => {
    const header = raw.headers.authorization
    let secret = typeof header === 'string' ? /^Bearer +([A-Za-z0-9_-]{1,256}) *$/i.exec(header)?.[1] : undefined
    if (secret === undefined) throw refused()
    if (faults.has('bearer-matched-by-prefix')) secret = byPrefix(agents, secret)
    const agent = agents.bySecret(secret)
    if (agent !== undefined) limit?.(secret)
    // GRIDIM-CLI-32: every request is activity; the fault client-idle-not-reset-by-poll counts a long poll as none.
    const poll = raw.method === 'GET' && new URL(raw.url).pathname.endsWith('/client/events')
    if (agent !== undefined && !(poll && faults.has('client-idle-not-reset-by-poll'))) agents.touch(agent)
    else if (agents.departedBySecret(secret) === undefined) throw refused()
    return { kind: 'client', token: secret }
  }
}

/** The agent whose secret authenticated this request, if it is still hosted here. */
export function agentOf (agents: Agents, input: { principal: Principal }): Agent {
  const agent = input.principal.kind === 'client' ? agents.bySecret(input.principal.token) : undefined
  if (agent === undefined) throw refused()
  return agent
}

/** For clientListEvents: the agent hosted here, or handed over in the last minute (GRIDIM-CLI-21). */
export function readerOf (agents: Agents, input: { principal: Principal }): Agent {
  if (input.principal.kind !== 'client') throw refused()
  const agent = agents.bySecret(input.principal.token) ?? agents.departedBySecret(input.principal.token)
  if (agent === undefined) throw refused()
  return agent
}

/**
 * Only for the deliberate fault bearer-matched-by-prefix: the secret of the first agent whose
 * secret starts with what was presented, as a comparison cut to the shorter length would find.
 */
function byPrefix (agents: Agents, presented: string): string {
  return agents.list().find((agent) => agent.sessionSecret.startsWith(presented))?.sessionSecret ?? presented
}

/**
 * Only for the deliberate faults client-rate-limit-below-floor (5 requests a second per session,
 * under GRIDIM-LIM-13's floor of 10) and rate-limited-without-retry-after (20 a second, refused
 * without the Retry-After of GRIDIM-LIM-12): the reference itself limits no client's rate. One
 * limiter serves a session's HTTP requests and its client stream's requests (GRIDIM-CLI-45).
 */
export function sessionRateLimit (faults: ReadonlySet<Fault>): ((secret: string) => void) | undefined {
  const perSecond = faults.has('client-rate-limit-below-floor') ? 5 : faults.has('rate-limited-without-retry-after') ? 20 : undefined
  if (perSecond === undefined) return undefined
  const recent = new Map<string, number[]>()
  return (secret) => {
    const now = Date.now()
    const times = (recent.get(secret) ?? []).filter((at) => at > now - 1000)
    recent.set(secret, times)
    if (times.length >= perSecond) throw new GridImError('rate-limited', `more than ${perSecond} requests in a second`)
    times.push(now)
  }
}
