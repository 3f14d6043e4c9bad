// adminProvisionRegion — a region or gateway and its Ed25519 key enter the directory; doing it
// again replaces name, kind and key (key rotation) and keeps the lease.
import { randomUUID } from 'node:crypto'
import { GridImError } from '../../lib/errors/index.ts'
import type { OperationHandler } from '../../lib/http/index.ts'
import { importPublicKey } from '../../lib/signatures/index.ts'
import type { RegionKind } from '../../store/index.ts'
import type { UserServerContext } from '../context.ts'
import { regionView } from './region-view.ts'

type ProvisionRequest = { name: string, kind: RegionKind, publicKey: string, regionId?: string }

export function adminProvisionRegion (ctx: UserServerContext): OperationHandler {
  return (input) => {
    const { name, kind, publicKey, regionId = randomUUID() } = input.body as ProvisionRequest
    try {
      importPublicKey(publicKey)
    } catch {
      throw new GridImError('invalid-request', 'publicKey is not an Ed25519 public key')
    }
    const existed = ctx.store.getRegion(regionId) !== null
    const region = ctx.store.provisionRegion({ regionId, name, kind, publicKey })
    return { status: existed ? 200 : 201, body: regionView(region, ctx.now()) }
  }
}
