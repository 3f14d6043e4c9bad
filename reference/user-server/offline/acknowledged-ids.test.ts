import t from 'tap'
import { join } from 'node:path'
import { openSqliteStore } from '../../store/index.ts'
import { tempDir } from '../../store/test-support.ts'
import { DAY_MS } from '../recent.ts'
import { AcknowledgedIds } from './acknowledged-ids.ts'

t.test('GRIDIM-OFFL-2: an acknowledged messageId is remembered across a restart of the user server', async (t) => {
  const path = join(tempDir(t), 'grid.db')
  const now = Date.now()
  const before = openSqliteStore(path)
  await new AcknowledgedIds(before).remember('m1', now)
  await before.close()
  const after = openSqliteStore(path)
  t.teardown(() => after.close())
  const ids = new AcknowledgedIds(after)
  t.ok(await ids.has('m1', now + 1000), 'a retry after the restart is still a repeat')
  t.notOk(await ids.has('m2', now), 'an id never acknowledged is not')
})

t.test('GRIDIM-OFFL-2: for 24 hours, and no longer once it is wanted again', async (t) => {
  const store = openSqliteStore(':memory:')
  t.teardown(() => store.close())
  const ids = new AcknowledgedIds(store)
  const now = Date.now()
  await ids.remember('m1', now)
  t.ok(await ids.has('m1', now + DAY_MS))
  t.notOk(await ids.has('m1', now + DAY_MS + 1), 'forgotten after a day')
  await ids.remember('m2', now)
  await ids.forget('m2')
  t.notOk(await ids.has('m2', now), 'returned unread: a retry may store it again')
})

t.test('acknowledgements older than a day are purged now and then', async (t) => {
  const store = openSqliteStore(':memory:')
  t.teardown(() => store.close())
  const ids = new AcknowledgedIds(store)
  const now = Date.now()
  await ids.remember('old', now - 2 * DAY_MS)
  for (let i = 1; i < 1000; i++) await ids.remember(`m${i}`, now)
  t.equal(await store.purgeAcknowledged(now - DAY_MS), 0, 'the thousandth remember purged the old one')
  t.notOk(await store.acknowledgedSince('old', 0))
  t.ok(await store.acknowledgedSince('m999', now))
})

t.test('inside a transaction the ids go with it: kept on commit, gone on rollback', async (t) => {
  const store = openSqliteStore(':memory:')
  t.teardown(() => store.close())
  const ids = new AcknowledgedIds(store)
  const now = Date.now()
  await store.transaction(async (tx) => {
    await ids.remember('kept', now, tx)
    t.ok(await ids.has('kept', now, tx), 'seen inside the transaction')
  })
  await t.rejects(store.transaction(async (tx) => {
    await ids.remember('rolled-back', now, tx)
    throw new Error('the change fails')
  }))
  t.ok(await ids.has('kept', now))
  t.notOk(await ids.has('rolled-back', now), 'rolled back with the change')
  await store.transaction(async (tx) => { await ids.forget('kept', tx) })
  t.notOk(await ids.has('kept', now))
})

t.test('ids kept apart (the fault acknowledged-ids-in-memory) ignore the transaction they are given', async (t) => {
  const [store, apart] = [openSqliteStore(':memory:'), openSqliteStore(':memory:')]
  t.teardown(async () => { await store.close(); await apart.close() })
  const ids = new AcknowledgedIds(apart, true)
  const now = Date.now()
  await store.transaction(async (tx) => { await ids.remember('m1', now, tx) })
  t.ok(await apart.acknowledgedSince('m1', 0), 'in their own store')
  t.notOk(await store.acknowledgedSince('m1', 0), 'not in the transaction\'s')
})
