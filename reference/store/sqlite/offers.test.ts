import t from 'tap'
import { randomUUID } from 'node:crypto'
import type { OfferRow } from '../store.ts'
import { addUser, eachStore } from '../test-support.ts'

const offer = (fromUserId: string, toUserId: string, createdAt = 1, message: string | null = null): OfferRow => ({
  offerId: randomUUID(),
  fromUserId,
  toUserId,
  message,
  createdAt,
})

eachStore(t, (t, fresh) => {
  t.test('an offer reads back by id and as the open offer between the two users', async (t) => {
    const store = await fresh(t)
    const ann = await addUser(store, 'Ann')
    const bob = await addUser(store, 'Bob')
    const o = offer(ann, bob, 5, 'be my friend')
    t.same(await store.createOffer(o), o)
    t.same(await store.getOffer(o.offerId), o)
    t.same(await store.findOpenOffer(ann, bob), o)
    t.equal(await store.findOpenOffer(bob, ann), null, 'offers are directional')
  })

  t.test('offering again while an offer is open returns the open one', async (t) => {
    const store = await fresh(t)
    const ann = await addUser(store, 'Ann')
    const bob = await addUser(store, 'Bob')
    const first = offer(ann, bob, 1)
    await store.createOffer(first)
    const again = offer(ann, bob, 2, 'again')
    t.same(await store.createOffer(again), first)
    t.equal(await store.getOffer(again.offerId), null)
  })

  t.test('a deleted offer is gone and another may be made', async (t) => {
    const store = await fresh(t)
    const ann = await addUser(store, 'Ann')
    const bob = await addUser(store, 'Bob')
    const first = offer(ann, bob)
    await store.createOffer(first)
    t.equal(await store.deleteOffer(first.offerId), true)
    t.equal(await store.deleteOffer(first.offerId), false)
    t.equal(await store.getOffer(first.offerId), null)
    t.equal(await store.findOpenOffer(ann, bob), null)
    const second = offer(ann, bob)
    t.same(await store.createOffer(second), second)
  })

  t.test('listOpenOffers lists the offers waiting for a user, oldest first', async (t) => {
    const store = await fresh(t)
    const ann = await addUser(store, 'Ann')
    const bob = await addUser(store, 'Bob')
    const cat = await addUser(store, 'Cat')
    const fromCat = offer(cat, ann, 1)
    const fromBob = offer(bob, ann, 2)
    await store.createOffer(fromBob)
    await store.createOffer(fromCat)
    await store.createOffer(offer(ann, bob, 0))
    t.same(await store.listOpenOffers(ann), [fromCat, fromBob])
  })
})
