import t from 'tap'
import { randomUUID } from 'node:crypto'
import { addRegion, addUser, eachStore } from './test-support.ts'

eachStore(t, (t, fresh) => {
  t.test('a transaction commits all of its writes or none of them', async (t) => {
    const store = await fresh(t)
    const ann = await addUser(store, 'Ann')
    const bob = await addUser(store, 'Bob')

    t.equal(
      await store.transaction(async (tx) => {
        await tx.createFriendship(ann, bob, 1, 1)
        return tx.setRights(ann, bob, 3)
      }),
      true,
      'answers what fn answers',
    )
    await t.rejects(
      store.transaction(async (tx) => {
        await tx.endFriendship(ann, bob)
        await tx.createOffer({ offerId: randomUUID(), fromUserId: ann, toUserId: bob, message: null, createdAt: 1 })
        throw new Error('boom')
      }),
      /boom/,
    )
    t.match(await store.getFriendship(ann, bob), { rightsGranted: 3 }, 'the friendship is still there')
    t.equal(await store.findOpenOffer(ann, bob), null)
  })

  t.test('a nested transaction that fails rolls back only itself when caught', async (t) => {
    const store = await fresh(t)
    const ann = await addUser(store, 'Ann')
    const bob = await addUser(store, 'Bob')
    const cat = await addUser(store, 'Cat')
    await store.transaction(async (tx) => {
      await tx.createFriendship(ann, bob, 1, 1)
      await t.rejects(tx.transaction(async (inner) => {
        await inner.setRights(ann, bob, 7)
        throw new Error('inner')
      }), /inner/)
      t.equal(await tx.transaction(async (inner) => inner.createFriendship(ann, cat, 2, 2)), true, 'a nested one that succeeds')
    })
    t.match(await store.getFriendship(ann, bob), { rightsGranted: 1 }, 'the savepoint was rolled back')
    t.match(await store.getFriendship(ann, cat), { rightsGranted: 2 }, 'the released savepoint committed with the outer')
  })

  t.test('a method that fails inside a transaction undoes only itself', async (t) => {
    const store = await fresh(t)
    const ann = await addUser(store, 'Ann')
    const region = await addRegion(store, 'Ahern')
    const sessionId = randomUUID()
    await store.transaction(async (tx) => {
      await tx.createSession({ sessionId, userId: ann, secretHash: 'h', regionId: region, startedAt: 1 })
      await t.rejects(tx.createFriendship(ann, randomUUID(), 1, 1), 'an unknown user breaks a foreign key')
      await t.rejects(tx.createGroup({ groupId: randomUUID(), name: 'g', memberIds: [ann, randomUUID()] }))
      t.equal((await tx.getSession(sessionId))?.userId, ann, 'the transaction goes on')
    })
    t.equal((await store.getSession(sessionId))?.userId, ann)
    t.same(await store.listFriends(ann), [])
  })

  t.test('a store bound to a transaction refuses to be used after it ends', async (t) => {
    const store = await fresh(t)
    let kept: typeof store | undefined
    await store.transaction(async (tx) => {
      kept = tx
    })
    await t.rejects(kept!.getUser(randomUUID()), /ended/)
    await t.rejects(kept!.close())
  })
})
