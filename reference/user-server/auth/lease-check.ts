// GRIDIM-LEASE-7, GRIDIM-ERR-7: a region without a current lease may do nothing but renew it.
// The check runs right after the signature is verified and before the request's shape is
// checked, which is the order of faults that chapter 14 prescribes.
import type { Server } from '@hapi/hapi'
import type { Authenticator } from '../../lib/http/index.ts'
import type { UserServerContext } from '../context.ts'
import { requireCurrentLease } from './acting-for.ts'

/** What a region may call without a current lease (getDirectory is not signed at all). */
const WITHOUT_LEASE = new Set(['renewRegionLease'])

export function withLeaseCheck (verify: Authenticator, server: Server, ctx: Pick<UserServerContext, 'store' | 'now' | 'faults'>): Authenticator {
  return async (raw) => {
    const principal = await verify(raw)
    const operationId = server.match(raw.method.toLowerCase() as Parameters<Server['match']>[0], new URL(raw.url).pathname)?.settings.id
    // The faults sign-on-without-lease and end-lease-without-lease: signOn, or endRegionLease, checks the signature and not the lease.
    const exempt = WITHOUT_LEASE.has(operationId ?? '') || (operationId === 'signOn' && ctx.faults.has('sign-on-without-lease')) ||
      (operationId === 'endRegionLease' && ctx.faults.has('end-lease-without-lease'))
    if (principal.kind === 'peer' && !exempt) await requireCurrentLease(ctx, principal.keyId)
    return principal
  }
}
