// Whose key verifies a signed request (GRIDIM-SEC-6): `user-server` is the user server's key
// (given, or read from getDirectory); any other keyid is a region's or the gateway's id, whose
// key the user server's directory holds (getRegion). Keys found are cached; an unknown keyid is
// asked again next time, so a newly provisioned region is recognised at once.
import type { KeyObject } from 'node:crypto'
import { GridImError } from '../lib/errors/index.ts'
import type { Fault } from '../lib/faults.ts'
import { importPublicKey } from '../lib/signatures/index.ts'
import type { UserServer } from './upstream.ts'

export const USER_SERVER_KEY_ID = 'user-server'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

export type KeyResolver = {
  resolve: (keyId: string) => Promise<KeyObject | null>
  /** GRIDIM-SEC-7: fetch a cached key again; true when the directory now holds a different one. */
  refresh: (keyId: string) => Promise<boolean>
}

export function createKeyResolver (userServer: UserServer, userServerKey?: KeyObject, faults: ReadonlySet<Fault> = new Set()): KeyResolver {
  const keys = new Map<string, KeyObject>()
  /** Only the fault unknown-keyid-remembered fills it: keyids refused once, never asked about again. */
  const unknown = new Set<string>()
  /** Refetches in flight, shared by the requests that fail at the same time. */
  const refreshing = new Map<string, Promise<boolean>>()
  if (userServerKey !== undefined) keys.set(USER_SERVER_KEY_ID, userServerKey)

  const fetchKey = async (keyId: string): Promise<KeyObject | null> => {
    if (keyId === USER_SERVER_KEY_ID) return importPublicKey((await userServer('getDirectory')).publicKey)
    if (!UUID.test(keyId)) return null
    try {
      return importPublicKey((await userServer('getRegion', { params: { regionId: keyId } })).publicKey)
    } catch (err) {
      if (err instanceof GridImError && err.code === 'unknown-region') return null
      throw err
    }
  }

  return {
    resolve: async (keyId) => {
      const known = keys.get(keyId)
      if (known !== undefined) return known
      if (unknown.has(keyId)) return null
      const key = await fetchKey(keyId)
      if (key !== null) keys.set(keyId, key)
      else if (faults.has('unknown-keyid-remembered')) unknown.add(keyId)
      return key
    },
    refresh: async (keyId) => {
      const cached = keys.get(keyId)
      // An uncached key was just fetched; a given user-server key is configuration, not a cache.
      if (cached === undefined || (keyId === USER_SERVER_KEY_ID && cached === userServerKey)) return false
      let pending = refreshing.get(keyId)
      if (pending === undefined) {
        pending = fetchKey(keyId).then((key) => {
          if (key === null) keys.delete(keyId)
          else keys.set(keyId, key)
          return key !== null && !key.equals(cached)
        }).finally(() => refreshing.delete(keyId))
        refreshing.set(keyId, pending)
      }
      return await pending
    }
  }
}
