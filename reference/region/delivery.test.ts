import t from 'tap'
import { GridImError } from '../lib/errors/index.ts'
import { sendInstantMessage, type LocalResult } from './delivery.ts'
import { LocationCache } from './location-cache.ts'
import { FakePeer, USER_SERVER_URL, uuid, type Call } from './test-support.ts'
import type { InstantMessage } from '../lib/contract/types.ts'
import { userServerCaller } from './upstream.ts'

const HERE = uuid()
const R2 = { regionId: uuid(), url: 'http://r2.test' }
const R3 = { regionId: uuid(), url: 'http://r3.test' }
const online = (r: { regionId: string, url: string }, canSeeOnline = true) => ({ online: true, regionId: r.regionId, regionUrl: r.url, kind: 'region', canSeeOnline })
const OFFLINE = { online: false, canSeeOnline: true }
const notHere = () => { throw new GridImError('agent-not-here') }
const down = () => { throw new GridImError('unavailable', 'connection refused') }

type Case = {
  name: string
  cached?: { regionId: string, url: string }
  canSeeOnline?: boolean
  local?: boolean
  /** Answers in order, one per call: a body, or a function that throws. */
  script: unknown[]
  calls: string[]
  outcome: string
  result: 'delivered' | 'stored'
  cacheAfter?: string | null
}

const cases: Case[] = [
  { name: 'GRIDIM-LOC-1: a cached location is used without a lookup', cached: R2, script: [{ status: 'delivered' }], calls: ['deliverInstantMessage@r2'], outcome: 'delivered', result: 'delivered', cacheAfter: R2.regionId },
  { name: 'GRIDIM-LOC-1: a miss is looked up, delivered and cached', script: [online(R2), { status: 'delivered' }], calls: ['locateUser', 'deliverInstantMessage@r2'], outcome: 'delivered', result: 'delivered', cacheAfter: R2.regionId },
  { name: 'GRIDIM-IM-4: agent-not-here leads to one fresh lookup and one retry', cached: R2, script: [notHere, online(R3), { status: 'delivered' }], calls: ['deliverInstantMessage@r2', 'locateUser', 'deliverInstantMessage@r3'], outcome: 'delivered', result: 'delivered', cacheAfter: R3.regionId },
  { name: 'GRIDIM-IM-4: a second agent-not-here stores the message', cached: R2, script: [notHere, online(R3), notHere, { stored: true }], calls: ['deliverInstantMessage@r2', 'locateUser', 'deliverInstantMessage@r3', 'storeOfflineMessage'], outcome: 'stored', result: 'stored', cacheAfter: null },
  { name: 'GRIDIM-IM-3: an offline recipient gets the message stored', script: [OFFLINE, { stored: true }], calls: ['locateUser', 'storeOfflineMessage'], outcome: 'stored', result: 'stored', cacheAfter: null },
  { name: 'GRIDIM-IM-4: a stale entry whose fresh lookup says offline stores the message', cached: R2, script: [notHere, OFFLINE, { stored: true }], calls: ['deliverInstantMessage@r2', 'locateUser', 'storeOfflineMessage'], outcome: 'stored', result: 'stored', cacheAfter: null },
  { name: 'GRIDIM-IM-5: a transient failure is retried with the same messageId', cached: R2, script: [down, { status: 'delivered' }], calls: ['deliverInstantMessage@r2', 'deliverInstantMessage@r2'], outcome: 'delivered', result: 'delivered' },
  { name: 'GRIDIM-IM-5: a destination down for every attempt gets two retries, then the message is stored', cached: R2, script: [down, down, down, { stored: true }], calls: ['deliverInstantMessage@r2', 'deliverInstantMessage@r2', 'deliverInstantMessage@r2', 'storeOfflineMessage'], outcome: 'stored', result: 'stored', cacheAfter: null },
  { name: 'GRIDIM-IM-5: rate-limited and internal count as transient', cached: R2, script: [() => { throw new GridImError('rate-limited') }, () => { throw new GridImError('internal') }, { status: 'duplicate' }], calls: ['deliverInstantMessage@r2', 'deliverInstantMessage@r2', 'deliverInstantMessage@r2'], outcome: 'delivered', result: 'delivered' },
  { name: 'GRIDIM-LOC-4: a foreign user is reachable at the gateway while offline', script: [{ ...online(R2), online: false, kind: 'gateway' }, { status: 'delivered' }], calls: ['locateUser', 'deliverInstantMessage@r2'], outcome: 'delivered', result: 'delivered' },
  { name: 'GRIDIM-IM-15: canSeeOnline=false masks delivered as accepted', script: [online(R2, false), { status: 'delivered' }], calls: ['locateUser', 'deliverInstantMessage@r2'], outcome: 'accepted', result: 'delivered' },
  { name: 'GRIDIM-IM-15: canSeeOnline=false masks stored as accepted', script: [{ online: false, canSeeOnline: false }, { stored: true }], calls: ['locateUser', 'storeOfflineMessage'], outcome: 'accepted', result: 'stored' },
  { name: 'GRIDIM-IM-16: a cached hit for a sender without the right is masked from its friend list', cached: R2, canSeeOnline: false, script: [{ status: 'delivered' }], calls: ['deliverInstantMessage@r2'], outcome: 'accepted', result: 'delivered' },
  { name: 'GRIDIM-IM-1: a recipient on this region is delivered locally, without HTTP', local: true, script: [], calls: [], outcome: 'delivered', result: 'delivered' },
  { name: 'GRIDIM-IM-4: a location on this region that no longer hosts the recipient counts as agent-not-here', script: [online({ regionId: HERE, url: 'http://here.test' }), OFFLINE, { stored: true }], calls: ['locateUser', 'locateUser', 'storeOfflineMessage'], outcome: 'stored', result: 'stored' }
]

function label (call: Call): string {
  return call.operationId === 'deliverInstantMessage' ? `deliverInstantMessage@${new URL(call.baseUrl).hostname.split('.')[0]}` : call.operationId
}

function message (): InstantMessage {
  return { messageId: uuid(), fromUserId: uuid(), fromName: 'Ada Lovelace', toUserId: uuid(), body: 'Have you seen my notes?', sentAt: '2024-11-24T14:30:00Z' }
}

for (const c of cases) {
  t.test(c.name, async (t) => {
    const script = [...c.script]
    const peer = new FakePeer(() => {
      const next = script.shift()
      return typeof next === 'function' ? next() : next
    })
    const cache = new LocationCache()
    const im = message()
    if (c.cached) cache.set(im.toUserId, c.cached)
    const sleeps: number[] = []
    const local: InstantMessage[] = []
    const result = await sendInstantMessage(im, c.canSeeOnline ?? true, {
      regionId: HERE,
      peer,
      userServer: userServerCaller(peer, USER_SERVER_URL),
      cache,
      deliverLocally: (m): LocalResult | null => c.local ? (local.push(m), 'delivered') : null,
      sleep: async (ms) => { sleeps.push(ms) }
    })
    t.same(peer.calls.map(label), c.calls, 'calls in order')
    t.match(result, { outcome: c.outcome, result: c.result })
    if (peer.ops().includes('locateUser')) t.type(result.learned, 'boolean', 'reports what locateUser said about CanSeeOnline')
    else t.equal(result.learned, undefined)
    t.equal(script.length, 0, 'the whole script was used')
    for (const call of peer.calls.filter((x) => x.operationId !== 'locateUser')) {
      t.same(call.options.body, im, `${call.operationId} carries the message unchanged, with its messageId`)
    }
    for (const call of peer.callsOf('locateUser')) {
      t.same(call.options, { params: { userId: im.toUserId }, query: { for: im.fromUserId } }, 'locateUser for the sender')
    }
    if (c.cacheAfter !== undefined) t.equal(cache.get(im.toUserId)?.regionId ?? null, c.cacheAfter, 'cache afterwards')
    if (c.local) t.same(local, [im])
    t.equal(sleeps.length, peer.calls.filter((x, i) => i > 0 && x.baseUrl === peer.calls[i - 1]!.baseUrl && x.operationId === 'deliverInstantMessage').length, 'backs off before each repeat')
  })
}

t.test('an unknown recipient is an error for the sender, not a stored message', async (t) => {
  const peer = new FakePeer(() => { throw new GridImError('unknown-user') })
  const deps = { regionId: HERE, peer, userServer: userServerCaller(peer, USER_SERVER_URL), cache: new LocationCache(), deliverLocally: () => null }
  await t.rejects(sendInstantMessage(message(), true, deps), { code: 'unknown-user' })
  t.same(peer.ops(), ['locateUser'])
})

t.test('GRIDIM-IM-7: a refusal other than agent-not-here or a transient one is neither retried nor stored', async (t) => {
  const peer = new FakePeer(() => { throw new GridImError('not-your-agent') })
  const cache = new LocationCache()
  const im = message()
  cache.set(im.toUserId, R2)
  const deps = { regionId: HERE, peer, userServer: userServerCaller(peer, USER_SERVER_URL), cache, deliverLocally: () => null }
  await t.rejects(sendInstantMessage(im, true, deps), { code: 'not-your-agent' })
  t.same(peer.ops(), ['deliverInstantMessage'])
})

/** A peer's transient answer as the peer client throws it: with the Retry-After it asked for, and the code it carried. */
function peerAnswer (code: 'unavailable' | 'rate-limited', status: number, retryAfterMs?: number, carried: string = code): () => never {
  return () => {
    const err = new GridImError(code)
    err.peerAnswer = { status, code: carried, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) }
    throw err
  }
}

async function sendScripted (script: unknown[], faults?: ReadonlySet<'region-ignores-retry-after' | 'region-unknown-code-as-final'>): Promise<{ sleeps: number[], peer: FakePeer, result: Promise<unknown> }> {
  const peer = new FakePeer(() => { const next = script.shift(); return typeof next === 'function' ? next() : next })
  const cache = new LocationCache()
  const im = message()
  cache.set(im.toUserId, R2)
  const sleeps: number[] = []
  const result = sendInstantMessage(im, true, { regionId: HERE, peer, userServer: userServerCaller(peer, USER_SERVER_URL), cache, deliverLocally: () => null, sleep: async (ms) => { sleeps.push(ms) }, faults })
  await result.catch(() => {})
  return { sleeps, peer, result }
}

t.test('GRIDIM-IM-5: a retry waits at least as long as the peer\'s Retry-After asks', async (t) => {
  const { sleeps, result } = await sendScripted([peerAnswer('unavailable', 503, 1000), peerAnswer('rate-limited', 429, 2000), { status: 'delivered' }])
  t.match(await result, { result: 'delivered' })
  t.same(sleeps, [1000, 2000], 'the back-off is raised to what each answer asked')
  const short = await sendScripted([peerAnswer('unavailable', 503, 0), { status: 'delivered' }])
  t.same(short.sleeps, [100], 'a Retry-After shorter than the back-off leaves the back-off')
  const ignored = await sendScripted([peerAnswer('unavailable', 503, 1000), { status: 'delivered' }], new Set(['region-ignores-retry-after']))
  t.same(ignored.sleeps, [100], 'the fault retries after its own back-off')
})

t.test('GRIDIM-IM-5: a peer that asks for a longer wait than a send can last gets the message stored at once', async (t) => {
  const { sleeps, peer, result } = await sendScripted([peerAnswer('unavailable', 503, 60_000), { stored: true }])
  t.match(await result, { result: 'stored' })
  t.same(sleeps, [])
  t.same(peer.ops(), ['deliverInstantMessage', 'storeOfflineMessage'])
})

t.test('GRIDIM-ERR-3: a 5xx with a code this version does not know is transient; the fault takes it as final', async (t) => {
  const { peer, result } = await sendScripted([peerAnswer('unavailable', 503, undefined, 'overloaded'), { status: 'delivered' }])
  t.match(await result, { result: 'delivered' })
  t.same(peer.ops(), ['deliverInstantMessage', 'deliverInstantMessage'])
  const faulty = await sendScripted([peerAnswer('unavailable', 503, undefined, 'overloaded')], new Set(['region-unknown-code-as-final']))
  await t.rejects(faulty.result, { code: 'unavailable' })
  t.same(faulty.peer.ops(), ['deliverInstantMessage'])
  const known = await sendScripted([peerAnswer('unavailable', 503), { status: 'delivered' }], new Set(['region-unknown-code-as-final']))
  t.match(await known.result, { result: 'delivered' }, 'a known code is unaffected by the fault')
})
