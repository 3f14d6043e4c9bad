// Fixtures written straight into the user server's SQLite store (reference/store) before the
// user server opens it: users, friendships, provisioned regions with their keys, groups and
// sign-ons. Only what a scenario times goes over HTTP.
import { randomUUID, type KeyObject } from 'node:crypto'
import { join } from 'node:path'
import { loadOrCreateKeyPair } from '../../../reference/grid/keys.ts'
import { exportPublicKey, generateKeyPair } from '../../../reference/lib/signatures/index.ts'
import { hashPassword, openSqliteStore, type Store } from '../../../reference/store/index.ts'

export type FixtureUser = { userId: string, firstName: string, lastName: string, region: number }
export type FixtureRegion = { regionId: string, name: string, privateKey: KeyObject, publicKey: KeyObject }

/** A small deterministic PRNG (mulberry32): the same seed gives the same fixture. */
export function random (seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export function shuffle<T> (items: T[], rnd: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1))
    ;[items[i], items[j]] = [items[j]!, items[i]!]
  }
  return items
}

export const FIXTURE_PASSWORD = 'bench-password-1'

export type Fixture = {
  dbPath: string
  keyFile: string
  users: FixtureUser[]
  regions: FixtureRegion[]
  /** Friend pairs as indexes into users. */
  friendships: Array<[number, number]>
  gateway?: { regionId: string, name: string, keyFile: string }
}

export type FixtureOptions = {
  dir: string
  users: number
  /** Friends per user (even): each user befriends the next friends/2 in a shuffled ring. */
  friends: number
  regions: number
  seed?: number
  /** Prefix for names, [A-Za-z0-9]. */
  label: string
  settings?: { leaseSeconds?: number, groupIdleSeconds?: number }
  /** 'random' (default): each user on a uniformly random region; 'round-robin': user i on region i mod R. */
  placement?: 'random' | 'round-robin'
  /** 'ring' (default): the ring lattice below; 'pairs': users 2i and 2i+1 are friends, nobody else. */
  friendGraph?: 'ring' | 'pairs'
  /** Also provision a gateway (kind `gateway`) whose key is kept in keys/gateway.pem. */
  gateway?: boolean
}

/**
 * Users spread uniformly at random over the regions; friendships form a ring lattice over a
 * shuffled order, so every user has exactly `friends` friends, on random regions. All rights
 * are CanSeeOnline both ways. One scrypt hash is shared by every account (hashing 10,000
 * passwords would take minutes); sign-on still verifies it in full, once per user.
 */
export async function buildFixture (options: FixtureOptions): Promise<Fixture> {
  const rnd = random(options.seed ?? 6)
  const dbPath = join(options.dir, 'user-server.sqlite')
  const keyFile = join(options.dir, 'keys', 'user-server.pem')
  loadOrCreateKeyPair(keyFile)
  const hash = await hashPassword(FIXTURE_PASSWORD)
  const regions: FixtureRegion[] = Array.from({ length: options.regions }, (_, i) => ({ regionId: randomUUID(), name: `${options.label} Region ${i + 1}`, ...generateKeyPair() }))
  const users: FixtureUser[] = Array.from({ length: options.users }, (_, i) => ({
    userId: randomUUID(), firstName: `${options.label}${i}`, lastName: 'Bench', region: options.placement === 'round-robin' ? i % options.regions : Math.floor(rnd() * options.regions)
  }))
  const friendships: Array<[number, number]> = []
  if (options.friendGraph === 'pairs') {
    for (let i = 0; i + 1 < users.length; i += 2) friendships.push([i, i + 1])
  } else {
    const order = shuffle(users.map((_, i) => i), rnd)
    const half = Math.min(options.friends / 2, Math.floor((options.users - 1) / 2))
    for (let k = 0; k < order.length; k++) {
      for (let d = 1; d <= half; d++) friendships.push([order[k]!, order[(k + d) % order.length]!])
    }
  }
  const gateway = options.gateway ? { regionId: randomUUID(), name: 'Bench gateway', keyFile: join(options.dir, 'keys', 'gateway.pem') } : undefined
  if (gateway !== undefined) loadOrCreateKeyPair(gateway.keyFile)
  const fixture: Fixture = { dbPath, keyFile, users, regions, friendships, ...(gateway === undefined ? {} : { gateway }) }
  const store: Store = openSqliteStore(dbPath)
  try {
    await writeFixture(store, fixture, { settings: options.settings, hash })
  } finally {
    await store.close()
  }
  return fixture
}

/**
 * Writes a fixture's settings, regions, users and friendships into a store, in one transaction
 * (through the Store interface, so the same fixture goes into SQLite or PostgreSQL).
 */
export async function writeFixture (store: Store, fixture: Fixture, options: { settings?: FixtureOptions['settings'], hash?: Awaited<ReturnType<typeof hashPassword>> } = {}): Promise<void> {
  const hash = options.hash ?? await hashPassword(FIXTURE_PASSWORD)
  const { users, regions, friendships, gateway } = fixture
  await store.transaction(async (tx) => {
    if (options.settings) await tx.updateSettings(options.settings)
    if (gateway !== undefined) await tx.provisionRegion({ regionId: gateway.regionId, name: gateway.name, kind: 'gateway', publicKey: exportPublicKey(loadOrCreateKeyPair(gateway.keyFile).publicKey) })
    for (const r of regions) await tx.provisionRegion({ regionId: r.regionId, name: r.name, kind: 'region', publicKey: exportPublicKey(r.publicKey) })
    const now = Date.now()
    for (const u of users) await tx.createUser({ userId: u.userId, firstName: u.firstName, lastName: u.lastName, ...hash, createdAt: now })
    for (const [a, b] of friendships) await tx.createFriendship(users[a]!.userId, users[b]!.userId, 1, 1)
  })
}

/** Writes sessions for users straight into the store (for scenarios that do not time sign-on). */
export async function signOnDirectly (dbPath: string, users: FixtureUser[], regions: FixtureRegion[]): Promise<void> {
  const store = openSqliteStore(dbPath)
  try {
    await store.transaction(async (tx) => {
      const now = Date.now()
      for (const u of users) await tx.createSession({ sessionId: randomUUID(), userId: u.userId, secretHash: 'bench-fixture', regionId: regions[u.region]!.regionId, startedAt: now })
    })
  } finally {
    await store.close()
  }
}

/** A group with these members (for the group fan-out). */
export async function createGroup (dbPath: string, name: string, memberIds: readonly string[]): Promise<string> {
  const store = openSqliteStore(dbPath)
  try {
    const groupId = randomUUID()
    await store.createGroup({ groupId, name, memberIds: [...memberIds] })
    return groupId
  } finally {
    await store.close()
  }
}
