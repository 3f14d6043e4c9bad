// adminProvisionRegion — a region or gateway and its Ed25519 key enter the directory; doing it
// again replaces name, kind and key (key rotation) and keeps the lease.
import { randomUUID } from 'node:crypto'
import { GridImError } from '../../lib/errors/index.ts'
import type { HandlerFor } from '../../lib/http/index.ts'
import { importPublicKey } from '../../lib/signatures/index.ts'
import type { UserServerContext } from '../context.ts'
import { regionView } from './region-view.ts'

export function adminProvisionRegion (ctx: UserServerContext): HandlerFor<'admin', 'adminProvisionRegion'> {
  return async (input) => {
    const { name, kind, publicKey, regionId = randomUUID() } = input.body
    try {
      importPublicKey(publicKey)
    } catch {
      throw new GridImError('invalid-request', 'publicKey is not an Ed25519 public key')
    }
    const existed = await ctx.store.getRegion(regionId) !== null
    const region = await ctx.store.provisionRegion({ regionId, name, kind, publicKey })
    const body = regionView(region, ctx.now())
    return existed ? { status: 200, body } : { status: 201, body }
  }
}
