// A group session's current members and the regions where they can be reached, kept between
// messages. Finding them takes a query over every member's session and one per region; a busy
// session sends many messages between two changes (issue 15: locating 1000 members for each
// message was most of the user server's CPU per group message).
// GRIDIM-GRP-12, GRIDIM-GRP-17: what a message goes to is still the membership and placement at
// its acceptance — an entry is used only while nothing in the store changed since it was made
// (Store.version: a join, a leave, a sign-on or sign-off, a move, a lease renewed or ended...)
// and every lease it relies on is still current (GRIDIM-LEASE-4). A store shared with other
// processes cannot say whether anything changed (its version is null): then nothing is kept.
import type { Store } from '../../store/index.ts'
import type { Locate } from '../notices/locator.ts'
import { groupByRegion, type Target } from '../notices/routing.ts'

/** Where a group session's messages go; read-only, shared by every message while it is current. */
export type GroupDestinations = {
  /** Current members, in the order they joined. */
  readonly members: readonly string[]
  readonly memberSet: ReadonlySet<string>
  /** One per region hosting members, members in join order, regions in order of first member (GRIDIM-GRP-13). */
  readonly byRegion: readonly Destination[]
}

/**
 * A region and its members; `itemsBytes`: the members' ids as a JSON array, in bytes (GRIDIM-GRP-30
 * counts bytes); `itemsJson`, when kept, that array (each message's outbox rows hold it, GRIDIM-GRP-31).
 */
export type Destination = { readonly target: Target, readonly items: readonly string[], readonly itemsBytes: number, readonly itemsJson?: string }

type Entry = GroupDestinations & { validUntil: number }

export class GroupDestinationCache {
  readonly #entries = new Map<string, Entry>()
  #version = -1

  constructor (private readonly store: Store, private readonly locate: Locate, private readonly now: () => number) {}

  /** The session's members and destinations as the store has them now. */
  async of (groupSessionId: string): Promise<GroupDestinations> {
    const version = this.store.version()
    // A store shared with other processes (version null) changes unseen: nothing is kept.
    if (version === null) return await this.#build(groupSessionId, this.now())
    // Any change makes every entry stale: dropping them all keeps the map to the sessions in use.
    if (version !== this.#version) {
      this.#entries.clear()
      this.#version = version
    }
    const at = this.now()
    const kept = this.#entries.get(groupSessionId)
    if (kept !== undefined && at < kept.validUntil) return kept
    const entry = await this.#build(groupSessionId, at)
    // Kept only if nothing changed while it was built (it awaited the store): it may have read
    // part of the store before a change and part after.
    if (this.store.version() === version) this.#entries.set(groupSessionId, entry)
    return entry
  }

  async #build (groupSessionId: string, at: number): Promise<Entry> {
    const { members } = await this.store.listMembers(groupSessionId)
    const located = await this.locate(members)
    const byRegion = groupByRegion(members, (userId) => located.get(userId)).map((d) => {
      const itemsJson = JSON.stringify(d.items)
      return { ...d, itemsJson, itemsBytes: Buffer.byteLength(itemsJson) }
    })
    // The first lease among the destinations to lapse ends the entry: from then on its region
    // is no destination (GRIDIM-LEASE-4) — and its members may be at the gateway instead.
    let validUntil = Number.POSITIVE_INFINITY
    for (const { target } of byRegion) validUntil = Math.min(validUntil, (await this.store.getRegion(target.regionId))?.leaseExpiresAt ?? at)
    return { members, memberSet: new Set(members), byRegion, validUntil }
  }
}
