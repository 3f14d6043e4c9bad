// A region under test, in process: a fake user server and a second region ("other") answer its
// outgoing calls, and requests reach it through inject() (no sockets).
import { randomBytes } from 'node:crypto'
import { GridImError } from '../lib/errors/index.ts'
import { createRegion, type RegionOptions } from './region.ts'
import { FakePeer, REGION_URL, USER_SERVER_URL, bearer, keyPair, signedInject, silentLogger, uuid, type Call } from './test-support.ts'
import type { Friend } from '../lib/contract/types.ts'

interface Teardown { teardown (fn: () => unknown): void }

export const OTHER_URL = 'http://other.test'

export async function testRegion (t: Teardown, options: Partial<RegionOptions> = {}) {
  const me = keyPair()
  const userServerKeys = keyPair()
  const other = keyPair()
  const regionId = uuid()
  const otherId = uuid()
  /** userId → locateUser answer; absent users are offline. */
  const locations = new Map<string, Record<string, unknown>>()
  const handlers: Record<string, (call: Call) => unknown> = {
    getRegion: (call) => {
      if (call.options.params?.regionId !== otherId) throw new GridImError('unknown-region')
      return { regionId: otherId, name: 'Lovelace Gardens', kind: 'region', url: OTHER_URL, publicKey: other.raw, online: true }
    },
    locateUser: (call) => {
      const userId = call.options.params!.userId!
      return { userId, canSeeOnline: true, ...(locations.get(userId) ?? { online: false }) }
    }
  }
  const peer = new FakePeer((call) => {
    const handler = handlers[call.operationId]
    if (handler === undefined) throw new Error(`unexpected call ${call.operationId}`)
    return handler(call)
  })
  const region = createRegion({
    regionId, name: 'Babbage Plaza', privateKey: me.privateKey, publicKey: me.publicKey, userServerUrl: USER_SERVER_URL,
    userServerKey: userServerKeys.publicKey, logger: silentLogger, peer, publicUrl: REGION_URL, heartbeatSeconds: 1,
    delivery: { sleep: async () => {} }, ...options
  })
  await region.server.initialize()
  t.teardown(async () => { await region.server.stop() })

  const placeAt = (userId: string, where: 'here' | 'other'): void => {
    locations.set(userId, where === 'here'
      ? { online: true, regionId, regionUrl: REGION_URL, kind: 'region' }
      : { online: true, regionId: otherId, regionUrl: OTHER_URL, kind: 'region' })
  }

  return {
    region, peer, handlers, locations, placeAt, regionId, otherId, me, other, userServerKeys,
    /** Hosts an agent directly, as if it had logged in. */
    admit (name = 'Ada Lovelace', friends: Friend[] = []) {
      const agent = region.agents.admit({ sessionId: uuid(), sessionSecret: randomBytes(24).toString('base64url'), userId: uuid(), name, friends })
      placeAt(agent.userId, 'here')
      return agent
    },
    fromOther: async (method: string, path: string, body?: unknown) => await signedInject(region.server, { method, path, body, keyId: otherId, privateKey: other.privateKey }),
    fromUserServer: async (method: string, path: string, body?: unknown) => await signedInject(region.server, { method, path, body, keyId: 'user-server', privateKey: userServerKeys.privateKey }),
    asClient: async (secret: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
      await region.server.inject({ method, url: REGION_URL + path, headers: { ...bearer(secret), ...headers }, ...(body === undefined ? {} : { payload: body as object }) })
  }
}

export type TestRegion = Awaited<ReturnType<typeof testRegion>>
