// GRIDIM-IM-24: `duplicate` is told only to a request that passes the sender check of
// GRIDIM-IM-10, so a leased region cannot probe which messageIds another region has accepted.
// GRIDIM-IM-25: a lapsed lease is agent-not-here to the sender, never lease-expired.
import t from 'tap'
import { GridImError } from '../lib/errors/index.ts'
import { sendInstantMessage } from './delivery.ts'
import { LocationCache } from './location-cache.ts'
import { FakePeer, uuid } from './test-support.ts'
import { testRegion } from './test-region.ts'
import { userServerCaller } from './upstream.ts'
import type { InstantMessage } from '../lib/contract/types.ts'

const from = (g: { placeAt: (userId: string, where: 'here' | 'other') => void }, toUserId: string): InstantMessage => {
  const fromUserId = uuid()
  g.placeAt(fromUserId, 'other')
  return { messageId: uuid(), fromUserId, fromName: 'Cyd Carter', toUserId, body: 'Tea?', sentAt: '2024-11-24T09:15:00Z' }
}

const answer = (res: { statusCode: number, payload: string }) => {
  const body = JSON.parse(res.payload) as { status?: string, code?: string }
  return res.statusCode < 300 ? String(body.status) : `${res.statusCode} ${String(body.code)}`
}

t.test('GRIDIM-IM-24: a known messageId claimed for a sender the signer does not host is refused, not answered duplicate', async (t) => {
  const g = await testRegion(t)
  const ada = g.admit()
  const im = from(g, ada.userId)
  t.equal(answer(await g.fromOther('POST', '/instant-messages', im)), 'delivered')
  t.equal(answer(await g.fromOther('POST', '/instant-messages', im)), 'duplicate', 'the real sender\'s retry is a duplicate')

  const impostor = { ...im, fromUserId: uuid() }
  t.equal(answer(await g.fromOther('POST', '/instant-messages', impostor)), '403 not-your-agent', 'a sender the user server places nowhere')
  g.region.context.cache.evict(im.fromUserId)
  g.placeAt(im.fromUserId, 'here')
  t.equal(answer(await g.fromOther('POST', '/instant-messages', im)), '403 not-your-agent', 'the sender has moved: the signer speaks for it no more')
})

t.test('GRIDIM-IM-24: for a recipient no longer here, duplicate only when the cache vouches for the signer', async (t) => {
  const g = await testRegion(t)
  g.handlers.returnUnreadMessages = () => { throw new GridImError('unavailable') }
  const ada = g.admit()
  const im = from(g, ada.userId)
  t.equal(answer(await g.fromOther('POST', '/instant-messages', im)), 'delivered')
  g.region.agents.drop(ada)
  t.equal(answer(await g.fromOther('POST', '/instant-messages', im)), 'duplicate', 'the sender\'s retry: the first check left its place in the cache')
  g.region.context.cache.evict(im.fromUserId)
  t.equal(answer(await g.fromOther('POST', '/instant-messages', im)), '404 agent-not-here', 'unvouched: answered as an unknown messageId would be')
  const unknown = { ...im, messageId: uuid() }
  t.equal(answer(await g.fromOther('POST', '/instant-messages', unknown)), '404 agent-not-here', 'the same answer')
})

t.test('the deliberate fault duplicate-before-sender-check answers any signer duplicate (for conformance/variants only)', async (t) => {
  const g = await testRegion(t, { faults: new Set(['duplicate-before-sender-check']) })
  const ada = g.admit()
  const im = from(g, ada.userId)
  await g.fromOther('POST', '/instant-messages', im)
  t.equal(answer(await g.fromOther('POST', '/instant-messages', { ...im, fromUserId: uuid() })), 'duplicate')
})

t.test('GRIDIM-IM-25: a recipient region whose lease lapsed answers agent-not-here, not lease-expired', async (t) => {
  const g = await testRegion(t)
  g.handlers.renewRegionLease = () => ({ leaseSeconds: 60, expiresAt: new Date(Date.now() + 60_000).toISOString() })
  const ada = g.admit()
  const im = from(g, ada.userId)
  g.region.context.cache.evict(im.fromUserId)
  g.handlers.locateUser = () => { throw new GridImError('lease-expired') }
  t.equal(answer(await g.fromOther('POST', '/instant-messages', im)), '404 agent-not-here')
  t.equal(g.region.agents.size, 0, 'GRIDIM-LEASE-8: its agents are signed off')
})

t.test('the deliberate fault lapsed-region-answers-lease-expired passes lease-expired on (for conformance/variants only)', async (t) => {
  const g = await testRegion(t, { faults: new Set(['lapsed-region-answers-lease-expired']) })
  g.handlers.renewRegionLease = () => ({ leaseSeconds: 60, expiresAt: new Date(Date.now() + 60_000).toISOString() })
  const ada = g.admit()
  const im = from(g, ada.userId)
  g.region.context.cache.evict(im.fromUserId)
  g.handlers.locateUser = () => { throw new GridImError('lease-expired') }
  t.equal(answer(await g.fromOther('POST', '/instant-messages', im)), '409 lease-expired')
})

t.test('GRIDIM-IM-25: a sender meeting lease-expired from the recipient\'s region looks up again, then stores', async (t) => {
  const located: string[] = []
  const peer = new FakePeer((call) => {
    if (call.operationId === 'deliverInstantMessage') throw new GridImError('lease-expired')
    if (call.operationId === 'locateUser') {
      located.push(call.operationId)
      return located.length === 1
        ? { userId: 'u', online: true, canSeeOnline: true, regionId: 'r2', regionUrl: 'http://r2.test' }
        : { userId: 'u', online: false, canSeeOnline: true }
    }
    return { stored: true }
  })
  const im: InstantMessage = { messageId: uuid(), fromUserId: uuid(), fromName: 'Ada Lovelace', toUserId: uuid(), body: 'Tea?', sentAt: '2024-11-24T09:15:00Z' }
  const sent = await sendInstantMessage(im, true, {
    regionId: 'r1', peer, userServer: userServerCaller(peer, 'http://us.test'), cache: new LocationCache(), deliverLocally: () => null, sleep: async () => {}
  })
  t.equal(sent.result, 'stored')
  t.same(peer.ops(), ['locateUser', 'deliverInstantMessage', 'locateUser', 'storeOfflineMessage'], 'one attempt, a fresh lookup, then the offline store')
})

t.test('GRIDIM-LEASE-8, GRIDIM-IM-25: a peer\'s key fetched during a lapse is fetched again after the renewal, and the delivery is agent-not-here', async (t) => {
  const g = await testRegion(t)
  g.handlers.renewRegionLease = () => ({ leaseSeconds: 60, expiresAt: new Date(Date.now() + 60_000).toISOString() })
  const ada = g.admit()
  const im = from(g, ada.userId)
  const getRegion = g.handlers.getRegion!
  let lapsed = true
  g.handlers.getRegion = (call) => {
    if (lapsed) {
      lapsed = false
      throw new GridImError('lease-expired')
    }
    return getRegion(call)
  }
  t.equal(answer(await g.fromOther('POST', '/instant-messages', im)), '404 agent-not-here', 'the lapse signed Ada off here')
  // The renewal reads the directory too, for the replay window (GRIDIM-LIM-22).
  t.same(g.peer.ops(), ['getRegion', 'renewRegionLease', 'getDirectory', 'getRegion'], 'renewed first, then the key, once more')
})

t.test('GRIDIM-IM-25: a recipient the user server no longer places here (its session ended in a lapse not yet noticed) is agent-not-here, not not-your-agent', async (t) => {
  const g = await testRegion(t)
  const ada = g.admit()
  const im = from(g, ada.userId)
  g.region.context.cache.evict(im.fromUserId)
  g.handlers.locateUser = () => { throw new GridImError('not-your-agent') }
  t.equal(answer(await g.fromOther('POST', '/instant-messages', im)), '404 agent-not-here')
})
