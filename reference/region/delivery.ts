// Sending a 1:1 instant message (seed step 9, spec chapter 7): no central relay. Find the
// recipient (this region, the location cache, else locateUser), deliver straight to the region
// or gateway where it can be reached (GRIDIM-IM-1), and never drop a message silently:
// - not reachable anywhere: store it at the user server (GRIDIM-IM-3);
// - `agent-not-here`: evict, exactly one fresh lookup, exactly one more attempt, else store
//   (GRIDIM-IM-4, GRIDIM-LOC-5);
// - a transient failure: retry the same messageId at least twice, then store (GRIDIM-IM-5);
// - any other refusal: no retry, no store — the caller reports the code (GRIDIM-IM-7).
// The outcome is masked as `accepted` when the recipient does not grant the sender
// CanSeeOnline, so that it never reveals presence (GRIDIM-IM-15).
import { GridImError } from '../lib/errors/index.ts'
import type { Fault } from '../lib/faults.ts'
import type { CachedLocation, LocationCache } from './location-cache.ts'
import type { InstantMessage, Schema, UserLocation } from '../lib/contract/types.ts'
import type { LinkBatcher } from './link-batcher.ts'
import type { Peer, UserServer } from './upstream.ts'

/** What the sender's client is told (client.yaml SendInstantMessageResponse). */
export type Outcome = Schema<'SendInstantMessageResponse'>['outcome']
/** What a delivery here answers (region.yaml DeliveryStatus). */
export type LocalResult = Schema<'DeliveryStatus'>['status']

/** Refusals worth repeating with the same messageId (GRIDIM-IM-5); a timeout is `unavailable`. */
const TRANSIENT = new Set(['unavailable', 'rate-limited', 'internal'])

/** The longest Retry-After a retry waits for; a peer that asks for more gets the message stored (GRIDIM-IM-5). */
export const MAX_RETRY_AFTER_MS = 10_000

export type DeliveryDeps = {
  regionId: string
  peer: Peer
  /** Batched links to other regions (GRIDIM-IM-32); without one, each message is its own request. */
  link?: LinkBatcher
  userServer: UserServer
  cache: LocationCache
  /** Hands the message to an agent hosted here; null when the recipient is not here. */
  deliverLocally: (im: InstantMessage) => LocalResult | null
  /** GRIDIM-SIGN-22: settles once an in-flight sign-on of the user here is over; undefined when none is. */
  signingOn?: (userId: string) => Promise<void> | undefined
  /** Sends per destination while it fails transiently (default 3: two retries). */
  attempts?: number
  /** Pause before a repeated send, doubled each time (default 100 ms). */
  backoffMs?: number
  timeoutMs?: number
  sleep?: (ms: number) => Promise<void>
  /** Deliberate bugs for conformance/variants only (reference/lib/faults.ts). */
  faults?: ReadonlySet<Fault>
}

export type SendResult = {
  outcome: Outcome
  result: 'delivered' | 'stored'
  /** What a locateUser made for this message said about CanSeeOnline, if one was made. */
  learned?: boolean
}

type Attempt = 'delivered' | 'stale' | 'exhausted'

const pause = async (ms: number): Promise<void> => { await new Promise((resolve) => setTimeout(resolve, ms)) }

/**
 * Delivers `im` from an agent hosted here. `canSeeOnline` is what the sender knows from its
 * friend list (the recipient grants it right 1); a locateUser answer overrides it.
 */
export async function sendInstantMessage (im: InstantMessage, canSeeOnline: boolean, deps: DeliveryDeps): Promise<SendResult> {
  let canSee = canSeeOnline
  let learned: boolean | undefined
  const finish = (result: 'delivered' | 'stored'): SendResult =>
    ({ outcome: canSee ? result : 'accepted', result, ...(learned === undefined ? {} : { learned }) })

  await deps.signingOn?.(im.toUserId)
  if (deps.deliverLocally(im) !== null) return finish('delivered')

  let location = deps.cache.get(im.toUserId)
  for (let round = 0; round < 2; round++) {
    if (location === undefined) {
      const found = await locate(im, deps)
      canSee = learned = found.canSeeOnline
      // Reachable means a region is named: a foreign user is reachable at the gateway even
      // while offline (GRIDIM-LOC-4).
      if (found.regionId === undefined || found.regionUrl === undefined) break
      location = { regionId: found.regionId, url: found.regionUrl, ...(found.kind ? { kind: found.kind } : {}) }
      deps.cache.set(im.toUserId, location)
    }
    const result = await attempt(im, location, deps)
    if (result === 'delivered') return finish('delivered')
    deps.cache.evict(im.toUserId)
    if (round === 1 && result === 'stale' && deps.faults?.has('region-drops-after-second-not-here')) {
      throw new GridImError('agent-not-here', `${im.toUserId} was not at the region named by a fresh lookup either`)
    }
    if (result === 'exhausted' || deps.faults?.has('no-retry-after-agent-not-here')) break
    location = undefined
  }
  await deps.userServer('storeOfflineMessage', { body: im })
  return finish('stored')
}

async function locate (im: InstantMessage, deps: DeliveryDeps): Promise<UserLocation> {
  return await deps.userServer('locateUser', { params: { userId: im.toUserId }, query: { for: im.fromUserId } })
}

/** One destination: `delivered`, `stale` after agent-not-here, `exhausted` after transient failures. */
async function attempt (im: InstantMessage, location: CachedLocation, deps: DeliveryDeps): Promise<Attempt> {
  if (location.regionId === deps.regionId) return deps.deliverLocally(im) === null ? 'stale' : 'delivered'
  // GRIDIM-IM-5: the first attempt and at least two retries; the fault region-retries-once makes one.
  const attempts = deps.attempts ?? (deps.faults?.has('region-retries-once') === true ? 2 : 3)
  const sleep = deps.sleep ?? pause
  for (let n = 1; ; n++) {
    try {
      if (deps.link === undefined) await deps.peer.call(location.url, 'deliverInstantMessage', { body: im, timeoutMs: deps.timeoutMs })
      // The fault batch-partial-failure-stored-twice has a delivered message stored too.
      else if (await deps.link.deliver(location.url, im) === 'store') return 'exhausted'
      return 'delivered'
    } catch (err) {
      if (!(err instanceof GridImError)) throw err
      // GRIDIM-IM-25: a region whose lease lapsed no longer hosts anyone; look up again.
      if (err.code === 'agent-not-here' || err.code === 'lease-expired') return 'stale'
      if (!transient(err, deps.faults)) throw err
      if (n >= attempts || deps.faults?.has('region-stores-without-retry')) return 'exhausted'
      // GRIDIM-IM-5: never sooner than the peer's Retry-After asks. A wait longer than a client's
      // send can last is not made: the message is stored at once, as after the last retry.
      const asked = deps.faults?.has('region-ignores-retry-after') === true ? undefined : err.peerAnswer?.retryAfterMs
      if (asked !== undefined && asked > MAX_RETRY_AFTER_MS) return 'exhausted'
      await sleep(Math.max((deps.backoffMs ?? 100) * 2 ** (n - 1), asked ?? 0))
    }
  }
}

/** GRIDIM-IM-5, GRIDIM-IM-7; the faults region-gives-up-on-internal and region-retries-any-refusal bend it. */
function transient (err: GridImError, faults: ReadonlySet<Fault> | undefined): boolean {
  if (faults?.has('region-gives-up-on-internal') && err.code === 'internal') return false
  // GRIDIM-ERR-3: a code this version does not know counts by its status class (the peer client
  // maps a 5xx to unavailable); the fault takes every unknown code as final.
  if (faults?.has('region-unknown-code-as-final') && err.peerAnswer?.code !== undefined && err.peerAnswer.code !== err.code) return false
  if (faults?.has('region-retries-any-refusal')) return true
  return TRANSIENT.has(err.code)
}
