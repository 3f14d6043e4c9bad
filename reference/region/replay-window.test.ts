// GRIDIM-LIM-22: a region verifies `created` against the replay window the user server's
// directory publishes (GRIDIM-LIM-21), read with every lease renewal — not a window of its own.
import t, { type Test } from 'tap'
import { GridImError } from '../lib/errors/index.ts'
import { signedInject, uuid } from './test-support.ts'
import { testRegion } from './test-region.ts'

/** A region that has taken its lease from a user server whose directory says `directory`. */
async function leased (t: Test, directory: () => number) {
  const g = await testRegion(t)
  g.handlers.renewRegionLease = () => ({ leaseSeconds: 60, expiresAt: new Date(Date.now() + 60_000).toISOString() })
  g.handlers.getDirectory = () => ({ keyId: 'user-server', publicKey: g.userServerKeys.raw, leaseSeconds: 60, replayWindowSeconds: directory(), gatewayDomain: 'grid.example' })
  await g.region.start()
  t.teardown(async () => { await g.region.kill() })
  const ada = g.admit()
  /** A notice for Ada from the user server, signed `ageSeconds` ago: its status code. */
  const sentAgo = async (ageSeconds: number): Promise<{ status: number, code?: string }> => {
    const notice = { type: 'presence', noticeId: uuid(), toUserId: ada.userId, userId: uuid(), name: 'Brook Baker', status: 'online' }
    const res = await signedInject(g.region.server, {
      method: 'POST', path: '/notices', body: { notices: [notice] }, keyId: 'user-server', privateKey: g.userServerKeys.privateKey, created: Math.floor(Date.now() / 1000) - ageSeconds
    })
    return { status: res.statusCode, code: res.statusCode === 200 ? undefined : JSON.parse(res.payload).code }
  }
  return { g, sentAgo }
}

t.test('GRIDIM-LIM-22: a directory window shorter than the default refuses what the default would accept', async (t) => {
  const { sentAgo } = await leased(t, () => 5)
  t.same(await sentAgo(30), { status: 401, code: 'replayed-request' }, '30 s old is outside a 5 s window')
  t.same(await sentAgo(1), { status: 200, code: undefined }, 'within the window it is accepted')
})

t.test('GRIDIM-LIM-22: a directory window longer than the default accepts what the default would refuse', async (t) => {
  const { sentAgo } = await leased(t, () => 600)
  t.same(await sentAgo(300), { status: 200, code: undefined })
  t.same(await sentAgo(900), { status: 401, code: 'replayed-request' })
})

t.test('GRIDIM-LIM-22: a directory that cannot be read leaves the window as it was (the default at first)', async (t) => {
  const { sentAgo } = await leased(t, () => { throw new GridImError('unavailable', 'down') })
  t.same(await sentAgo(30), { status: 200, code: undefined })
  t.same(await sentAgo(120), { status: 401, code: 'replayed-request' })
})
