import t from 'tap'
import { join } from 'node:path'
import { openSqliteStore } from '../../store/index.ts'
import { tempDir } from '../../store/test-support.ts'
import { DAY_MS } from '../recent.ts'
import { AcknowledgedIds } from './acknowledged-ids.ts'

t.test('GRIDIM-OFFL-2: an acknowledged messageId is remembered across a restart of the user server', (t) => {
  const path = join(tempDir(t), 'grid.db')
  const now = Date.now()
  const before = openSqliteStore(path)
  new AcknowledgedIds(before).remember('m1', now)
  before.close()
  const after = openSqliteStore(path)
  t.teardown(() => { after.close() })
  const ids = new AcknowledgedIds(after)
  t.ok(ids.has('m1', now + 1000), 'a retry after the restart is still a repeat')
  t.notOk(ids.has('m2', now), 'an id never acknowledged is not')
  t.end()
})

t.test('GRIDIM-OFFL-2: for 24 hours, and no longer once it is wanted again', (t) => {
  const store = openSqliteStore(':memory:')
  t.teardown(() => { store.close() })
  const ids = new AcknowledgedIds(store)
  const now = Date.now()
  ids.remember('m1', now)
  t.ok(ids.has('m1', now + DAY_MS))
  t.notOk(ids.has('m1', now + DAY_MS + 1), 'forgotten after a day')
  ids.remember('m2', now)
  ids.forget('m2')
  t.notOk(ids.has('m2', now), 'returned unread: a retry may store it again')
  t.end()
})

t.test('acknowledgements older than a day are purged now and then', (t) => {
  const store = openSqliteStore(':memory:')
  t.teardown(() => { store.close() })
  const ids = new AcknowledgedIds(store)
  const now = Date.now()
  ids.remember('old', now - 2 * DAY_MS)
  for (let i = 1; i < 1000; i++) ids.remember(`m${i}`, now)
  t.equal(store.purgeAcknowledged(now - DAY_MS), 0, 'the thousandth remember purged the old one')
  t.notOk(store.acknowledgedSince('old', 0))
  t.ok(store.acknowledgedSince('m999', now))
  t.end()
})
