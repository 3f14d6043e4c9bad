// A user server on an in-memory store, driven with server.inject() (no sockets). Regions are
// key pairs the test signs with; the server's requests to regions go to a recording peer.
import type { KeyObject } from 'node:crypto'
import { randomUUID } from 'node:crypto'
import { createLogger } from '../lib/http/index.ts'
import { AnsweringPeer } from '../lib/http/answering-peer.ts'
import type { Fault } from '../lib/faults.ts'
import { exportPublicKey, generateKeyPair, signRequest } from '../lib/signatures/index.ts'
import { hashPassword, openSqliteStore, type PasswordCost, type RegionKind, type Store } from '../store/index.ts'
import { createUserServer } from './create-user-server.ts'

export const BASE_URL = 'http://user-server.test'
export const ADMIN_TOKEN = 'admin-token-for-tests'
export const PASSWORD = 'correct horse battery staple'

export type SentRequest = { url: string, operationId: string, body: any }
export type TestRegion = { regionId: string, name: string, url: string, privateKey: KeyObject, publicKey: KeyObject }
export type TestUser = { userId: string, firstName: string, lastName: string, name: string }
/** How the fake regions answer; undefined means the default answer. A throw is a failure. */
export type Responder = (request: SentRequest) => unknown

/** Hashed once: scrypt is slow on purpose, and every test user shares the password. */
let passwordHash: ReturnType<typeof hashPassword> | undefined

interface Teardown { teardown (fn: () => void | Promise<void>): void }

export function defaultAnswer ({ operationId, body }: SentRequest): unknown {
  if (operationId === 'deliverNotices') return { accepted: body.notices.length, notHere: [] }
  if (operationId === 'deliverGroupMessage') return { delivered: body.toUserIds, notHere: [] }
  if (operationId === 'deliverInstantMessage') return { status: 'delivered' }
  return {}
}

/**
 * `publicUrl: null` leaves the base URL to the listening address; `faults` only for fault tests;
 * `passwordCost` the user server's (h.user's users are hashed at the default cost whatever it is).
 */
export type HarnessOptions = {
  faults?: ReadonlySet<Fault>, publicUrl?: string | null, passwordCost?: PasswordCost,
  /** Another server's store (a second instance on it); the test that opened it closes it. */
  store?: Store
}

export function harness (t: Teardown, options: HarnessOptions = {}) {
  const store: Store = options.store ?? openSqliteStore(':memory:')
  const keys = generateKeyPair()
  const clock = { now: Date.now() }
  const sent: SentRequest[] = []
  let responder: Responder = () => undefined
  const peer = new AnsweringPeer(({ url, operationId, options }) => {
    const request = { url, operationId, body: structuredClone(options.body) }
    sent.push(request)
    return responder(request) ?? defaultAnswer(request)
  })
  const us = createUserServer({
    store, ...keys, adminToken: ADMIN_TOKEN, logger: createLogger(), now: () => clock.now, peer, gatewayDomain: 'grid.example', groupRetryDelaysMs: [1, 1],
    ...(options.publicUrl === null ? {} : { publicUrl: options.publicUrl ?? BASE_URL }), ...(options.faults === undefined ? {} : { faults: options.faults }),
    ...(options.passwordCost === undefined ? {} : { passwordCost: options.passwordCost })
  })
  t.teardown(async () => {
    await us.stop()
    if (options.store === undefined) await store.close()
  })
  let regions = 0

  const h = {
    us, store, clock, sent, keys,
    respondWith (fn: Responder) { responder = fn },
    /** Requests sent to regions, once every queued one is done. */
    async delivered (operationId?: string): Promise<SentRequest[]> {
      await us.idle()
      return sent.filter((r) => operationId === undefined || r.operationId === operationId)
    },
    clearSent () { sent.length = 0 },

    /** A provisioned region holding a current lease (unless lease is false). */
    async region (options: { kind?: RegionKind, lease?: boolean, name?: string } = {}): Promise<TestRegion> {
      const pair = generateKeyPair()
      const n = ++regions
      const region = { regionId: randomUUID(), name: options.name ?? `Region ${n}`, url: `http://region-${n}.test`, ...pair }
      await store.provisionRegion({ regionId: region.regionId, name: region.name, kind: options.kind ?? 'region', publicKey: exportPublicKey(pair.publicKey) })
      if (options.lease !== false) await h.lease(region)
      return region
    },
    /** Renews the region's lease for `seconds`, by default the settings' leaseSeconds. */
    async lease (region: TestRegion, seconds?: number) {
      const expiresAt = clock.now + (seconds ?? (await store.getSettings()).leaseSeconds) * 1000
      await store.renewLease(region.regionId, region.url, expiresAt)
    },
    async user (firstName: string, lastName = 'Tester'): Promise<TestUser> {
      const userId = randomUUID()
      await store.createUser({ userId, firstName, lastName, ...await (passwordHash ??= hashPassword(PASSWORD)), createdAt: clock.now })
      return { userId, firstName, lastName, name: `${firstName} ${lastName}` }
    },
    async friends (a: TestUser, b: TestUser, ab = 1, ba = 1) {
      await store.createFriendship(a.userId, b.userId, ab, ba)
    },

    /** A request signed by `signer` (a region, or any key and key id). */
    async signed (signer: { regionId: string, privateKey: KeyObject } | null, method: string, path: string, body?: unknown) {
      const url = BASE_URL + path
      const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body)
      const headers: Record<string, string> = payload === undefined ? {} : { 'content-type': 'application/json' }
      if (signer !== null) Object.assign(headers, signRequest({ method, url, headers, body: payload }, { keyId: signer.regionId, privateKey: signer.privateKey }))
      return reply(await us.server.inject({ method, url, headers, payload }))
    },
    async admin (method: string, path: string, body?: unknown, token: string | null = ADMIN_TOKEN) {
      const headers: Record<string, string> = token === null ? {} : { authorization: `Bearer ${token}` }
      if (body !== undefined) headers['content-type'] = 'application/json'
      const payload = body === undefined ? undefined : JSON.stringify(body)
      return reply(await us.server.inject({ method, url: BASE_URL + path, headers, payload }))
    },
    /** Signs the user on at the region; returns the signOn answer. */
    async signOn (user: TestUser, region: TestRegion): Promise<any> {
      const res = await h.signed(region, 'POST', '/sessions', { firstName: user.firstName, lastName: user.lastName, password: PASSWORD, regionId: region.regionId })
      if (res.statusCode !== 201) throw new Error(`signOn failed: ${JSON.stringify(res.body)}`)
      return res.body
    }
  }
  return h
}

/** An injected response with its JSON body parsed. */
export type Reply = { statusCode: number, headers: Record<string, unknown>, body: any }

function reply (res: { statusCode: number, headers: Record<string, unknown>, payload: string }): Reply {
  return { statusCode: res.statusCode, headers: res.headers, body: res.payload === '' ? undefined : JSON.parse(res.payload) }
}

export type Harness = ReturnType<typeof harness>

/** The notices a batch of recorded deliverNotices requests carried, flattened. */
export function noticesIn (requests: readonly SentRequest[]): any[] {
  return requests.flatMap((r) => r.operationId === 'deliverNotices' ? r.body.notices : [])
}

export type Refusal = [name: string, send: () => Promise<Reply>, status: number, code: string]

interface Asserts {
  equal (found: any, wanted: any, message: string): unknown
  same (found: any, wanted: any, message: string): unknown
}

/**
 * GRIDIM-ERR-5: each request is refused with its status and code, the state read
 * by `snapshot` is the same afterwards, and no request went to any region.
 */
export async function expectRefusals (t: Asserts, h: Harness, cases: readonly Refusal[], snapshot: () => unknown = () => null): Promise<void> {
  await h.us.idle()
  h.clearSent()
  // `snapshot` may answer with a promise (it reads the store): awaited either way.
  const before = JSON.stringify(await snapshot())
  for (const [name, send, status, code] of cases) {
    const res = await send()
    t.equal(res.statusCode, status, `${name}: status`)
    t.equal(res.body?.code, code, `${name}: code`)
  }
  t.equal(JSON.stringify(await snapshot()), before, 'nothing changed')
  t.same(await h.delivered(), [], 'nothing was sent')
}
