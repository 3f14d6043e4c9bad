import t from 'tap'
import { randomUUID } from 'node:crypto'
import type { OfferRow } from '../store.ts'
import { addUser, memoryStore } from '../test-support.ts'

const offer = (fromUserId: string, toUserId: string, createdAt = 1, message: string | null = null): OfferRow => ({
  offerId: randomUUID(),
  fromUserId,
  toUserId,
  message,
  createdAt,
})

t.test('an offer reads back by id and as the open offer between the two users', (t) => {
  const store = memoryStore(t)
  const ann = addUser(store, 'Ann')
  const bob = addUser(store, 'Bob')
  const o = offer(ann, bob, 5, 'be my friend')
  t.same(store.createOffer(o), o)
  t.same(store.getOffer(o.offerId), o)
  t.same(store.findOpenOffer(ann, bob), o)
  t.equal(store.findOpenOffer(bob, ann), null, 'offers are directional')
  t.end()
})

t.test('offering again while an offer is open returns the open one', (t) => {
  const store = memoryStore(t)
  const ann = addUser(store, 'Ann')
  const bob = addUser(store, 'Bob')
  const first = offer(ann, bob, 1)
  store.createOffer(first)
  const again = offer(ann, bob, 2, 'again')
  t.same(store.createOffer(again), first)
  t.equal(store.getOffer(again.offerId), null)
  t.end()
})

t.test('a deleted offer is gone and another may be made', (t) => {
  const store = memoryStore(t)
  const ann = addUser(store, 'Ann')
  const bob = addUser(store, 'Bob')
  const first = offer(ann, bob)
  store.createOffer(first)
  t.equal(store.deleteOffer(first.offerId), true)
  t.equal(store.deleteOffer(first.offerId), false)
  t.equal(store.getOffer(first.offerId), null)
  t.equal(store.findOpenOffer(ann, bob), null)
  const second = offer(ann, bob)
  t.same(store.createOffer(second), second)
  t.end()
})

t.test('listOpenOffers lists the offers waiting for a user, oldest first', (t) => {
  const store = memoryStore(t)
  const ann = addUser(store, 'Ann')
  const bob = addUser(store, 'Bob')
  const cat = addUser(store, 'Cat')
  const fromCat = offer(cat, ann, 1)
  const fromBob = offer(bob, ann, 2)
  store.createOffer(fromBob)
  store.createOffer(fromCat)
  store.createOffer(offer(ann, bob, 0))
  t.same(store.listOpenOffers(ann), [fromCat, fromBob])
  t.end()
})
