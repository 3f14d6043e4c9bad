// getDirectory — GRIDIM-ROLE-8: unsigned; the user server's key id and public key, the lease
// length, the replay window every receiver of a signed request applies (GRIDIM-LIM-21) and the
// gateway domain.
import type { HandlerFor } from '../../lib/http/index.ts'
import { exportPublicKey } from '../../lib/signatures/index.ts'
import type { UserServerContext } from '../context.ts'

export const USER_SERVER_KEY_ID = 'user-server'

export function getDirectory (ctx: UserServerContext): HandlerFor<'user-server', 'getDirectory'> {
  const publicKey = exportPublicKey(ctx.publicKey)
  return () => {
    const { leaseSeconds, replayWindowSeconds } = ctx.store.getSettings()
    return { body: { keyId: USER_SERVER_KEY_ID, publicKey, leaseSeconds, replayWindowSeconds, gatewayDomain: ctx.gatewayDomain } }
  }
}
