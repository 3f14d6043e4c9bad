import t from 'tap'
import { eachStore } from '../test-support.ts'

eachStore(t, (t, fresh) => {
  t.test('a claim stores the fact unless a live one holds the key, whose value it answers', async (t) => {
    const store = await fresh(t)
    t.equal(await store.claimRecent('group-reply', 'k', 'first', 100, 10), null, 'claimed')
    t.equal(await store.claimRecent('group-reply', 'k', 'second', 200, 20), 'first', 'held: the first value, nothing changed')
    t.equal(await store.getRecent('group-reply', 'k', 20), 'first')
    t.equal(await store.claimRecent('handover', 'k', 'other kind', 100, 20), null, 'kinds are apart')
    t.equal(await store.getRecent('group-reply', 'k', 100), null, 'expired at its until')
    t.equal(await store.claimRecent('group-reply', 'k', 'third', 300, 100), null, 'an expired fact is claimed anew')
    t.equal(await store.getRecent('group-reply', 'k', 299), 'third')
  })

  t.test('put replaces, take removes once and only a live fact, purge forgets the expired', async (t) => {
    const store = await fresh(t)
    await store.putRecent('handover', 's1', 'r1', 100)
    await store.putRecent('handover', 's1', 'r2', 150)
    t.equal(await store.getRecent('handover', 's1', 120), 'r2')
    t.equal(await store.takeRecent('handover', 's1', 120), 'r2')
    t.equal(await store.takeRecent('handover', 's1', 120), null, 'taken once')
    await store.putRecent('handover', 's2', 'r3', 100)
    t.equal(await store.takeRecent('handover', 's2', 100), null, 'an expired fact is not taken')
    await store.putRecent('nonce', 'n1', '', 50)
    await store.putRecent('nonce', 'n2', '', 500)
    t.equal(await store.purgeRecent(200), 2, 's2 and n1 were expired')
    t.equal(await store.getRecent('nonce', 'n2', 200), '')
  })

  t.test('endLease with lapsedBy ends only a lease that expired by then', async (t) => {
    const store = await fresh(t)
    const { regionId } = await store.provisionRegion({ regionId: '00000000-0000-4000-8000-000000000001', name: 'R', kind: 'region', publicKey: 'k' })
    await store.renewLease(regionId, 'http://r', 1000)
    t.equal(await store.endLease(regionId, 999), false, 'renewed since it was found lapsed: left alone')
    t.equal((await store.getRegion(regionId))?.leaseExpiresAt, 1000)
    t.equal(await store.endLease(regionId, 1000), true)
    t.equal(await store.endLease(regionId), false, 'already ended')
  })
})
