// getDirectory — GRIDIM-ROLE-8: unsigned; the user server's key id and public key, the lease
// length and the gateway domain.
import type { HandlerFor } from '../../lib/http/index.ts'
import { exportPublicKey } from '../../lib/signatures/index.ts'
import type { UserServerContext } from '../context.ts'

export const USER_SERVER_KEY_ID = 'user-server'

export function getDirectory (ctx: UserServerContext): HandlerFor<'user-server', 'getDirectory'> {
  const publicKey = exportPublicKey(ctx.publicKey)
  return () => ({
    body: {
      keyId: USER_SERVER_KEY_ID,
      publicKey,
      leaseSeconds: ctx.store.getSettings().leaseSeconds,
      gatewayDomain: ctx.gatewayDomain
    }
  })
}
