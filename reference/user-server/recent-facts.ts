// What a user server remembers for a short while — first answers to group messages
// (GRIDIM-GRP-15), hand-overs that may be undone or confirmed once (GRIDIM-LOC-15..17), the
// nonces of accepted signatures (GRIDIM-SEC) — where every instance sees it (issue 16).
// With a store of its own (SQLite, one process) a user server keeps them in memory
// (RecentMap, NonceCache): nothing else could ask. With a store that several instances share
// they live in the store's recent facts, claimed atomically, so that a repeat or a replay sent
// to another instance meets what the first one remembered.
import type { NonceRegistry } from '../lib/signatures/index.ts'
import type { RecentStore } from '../store/index.ts'
import { RecentMap } from './recent.ts'

/** A memory of facts by key, each kept `ttlMs`. */
export interface Recent<V> {
  /**
   * Remembers value unless a live fact holds key: that one is returned (of racing callers, one
   * gets undefined). `via`: the transaction to claim in, when the facts are in the store.
   */
  claim: (key: string, value: V, now: number, via?: RecentStore) => Promise<V | undefined>
  get: (key: string, now: number) => Promise<V | undefined>
  set: (key: string, value: V, now: number) => Promise<void>
  /** Forgets the fact and returns it when it was live (of racing callers, one gets it). */
  take: (key: string, now: number) => Promise<V | undefined>
}

/** In this process's memory. */
export function recentInMemory<V> (ttlMs: number): Recent<V> {
  const map = new RecentMap<V>(ttlMs)
  return {
    claim: async (key, value, now) => {
      const held = map.get(key, now)
      if (held === undefined) map.set(key, value, now)
      return held
    },
    get: async (key, now) => map.get(key, now),
    set: async (key, value, now) => { map.set(key, value, now) },
    take: async (key, now) => {
      const held = map.get(key, now)
      map.delete(key)
      return held
    }
  }
}

/** In the store every instance shares, as JSON under `kind`. */
export function recentInStore<V> (store: RecentStore, kind: string, ttlMs: number): Recent<V> {
  const parse = (text: string | null): V | undefined => (text === null ? undefined : JSON.parse(text) as V)
  return {
    claim: async (key, value, now, via = store) => parse(await via.claimRecent(kind, key, JSON.stringify(value), now + ttlMs, now)),
    get: async (key, now) => parse(await store.getRecent(kind, key, now)),
    set: async (key, value, now) => { await store.putRecent(kind, key, JSON.stringify(value), now + ttlMs) },
    take: async (key, now) => parse(await store.takeRecent(kind, key, now))
  }
}

/** Accepted nonces in the shared store: a request replayed to another instance is refused there too. */
export function storeNonces (store: RecentStore): NonceRegistry {
  return {
    // The verifier counts in UNIX seconds, the store in milliseconds.
    remember: async (key, until, now) => (await store.claimRecent('nonce', key, '', until * 1000 + 1, now * 1000)) === null
  }
}
