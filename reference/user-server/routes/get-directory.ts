// getDirectory — GRIDIM-ROLE-8: unsigned; the user server's key id and public key, the lease
// length, the replay window every receiver of a signed request applies (GRIDIM-LIM-21) and the
// gateway domain.
import type { HandlerFor } from '../../lib/http/index.ts'
import { exportPublicKey } from '../../lib/signatures/index.ts'
import type { UserServerContext } from '../context.ts'

export const USER_SERVER_KEY_ID = 'user-server'

export function getDirectory (ctx: UserServerContext): HandlerFor<'user-server', 'getDirectory'> {
  const publicKey = exportPublicKey(ctx.publicKey)
  return async () => {
    // GRIDIM-LIM-26: the regions' client timers are published with the replay window.
    const { leaseSeconds, replayWindowSeconds, clientIdleSeconds, handoverSeconds, keepAliveSeconds } = await ctx.store.getSettings()
    return { body: { keyId: USER_SERVER_KEY_ID, publicKey, leaseSeconds, replayWindowSeconds, clientIdleSeconds, handoverSeconds, keepAliveSeconds, gatewayDomain: ctx.gatewayDomain } }
  }
}
