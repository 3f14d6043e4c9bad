// GRIDIM-ROLE-1, GRIDIM-SEC-8: a region speaks only for the agents it hosts — the users whose
// current session the user server has placed at that region. GRIDIM-LEASE-7: and only while it
// holds a current lease. GRIDIM-ERR-7: existence is checked before authority.
import { GridImError } from '../../lib/errors/index.ts'
import type { PeerPrincipal } from '../../lib/http/index.ts'
import type { SessionRow, UserRow } from '../../store/index.ts'
import type { UserServerContext } from '../context.ts'
import { leaseIsCurrent } from '../notices/locator.ts'
import { isForeignUser } from '../users/foreign-users.ts'

/** The input of a signed operation: its handler is typed with the region that signed it. */
export type Signed = { principal: PeerPrincipal }

/** The regionId that signed the request (its verified keyid). */
export function signerOf (input: Signed): string {
  return input.principal.keyId
}

/** GRIDIM-LEASE-7: refuse, changing nothing, a region whose lease is not current. */
export async function requireCurrentLease (ctx: Pick<UserServerContext, 'store' | 'now'>, regionId: string): Promise<void> {
  if (!leaseIsCurrent(await ctx.store.getRegion(regionId), ctx.now())) {
    throw new GridImError('lease-expired', `region ${regionId} holds no current lease; renew it first`)
  }
}

/** GRIDIM-ERR-4: a user the request names must exist. */
export async function requireUser (ctx: UserServerContext, userId: string): Promise<UserRow> {
  const user = await ctx.store.getUser(userId)
  if (user === null) throw new GridImError('unknown-user', `no user ${userId}`)
  return user
}

/**
 * GRIDIM-SEC-8, GRIDIM-ROLE-1: the signing region hosts the user — it is the region of the
 * user's session or, for a foreign user without one, the gateway, which hosts every foreign user.
 */
export async function requireHosted (ctx: UserServerContext, input: Signed, user: UserRow): Promise<SessionRow | null> {
  const session = await ctx.store.getSessionByUser(user.userId)
  const signer = signerOf(input)
  const hosted = session !== null
    ? session.regionId === signer
    : isForeignUser(user) && (await ctx.store.getRegion(signer))?.kind === 'gateway'
  if (!hosted) throw new GridImError('not-your-agent', `the signing region does not host user ${user.userId}`)
  return session
}

/**
 * The acting user exists and the signing region hosts them. Only for operations that name no
 * other thing: GRIDIM-ERR-7 checks the existence of everything a request names before authority.
 */
export async function requireAgent (ctx: UserServerContext, input: Signed, userId: string): Promise<{ user: UserRow, session: SessionRow | null }> {
  const user = await requireUser(ctx, userId)
  return { user, session: await requireHosted(ctx, input, user) }
}
