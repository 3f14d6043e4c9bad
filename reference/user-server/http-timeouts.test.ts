// GRIDIM-LIM-17..19: the user server listens with the HTTP timeouts of chapter 13 (the behaviour
// itself is tested over real sockets in reference/lib/http/create-server.test.ts).
import t from 'tap'
import { createLogger } from '../lib/http/index.ts'
import { generateKeyPair } from '../lib/signatures/index.ts'
import { openSqliteStore } from '../store/index.ts'
import { createUserServer } from './create-user-server.ts'

const timeoutsOf = (listener: { headersTimeout: number, requestTimeout: number, keepAliveTimeout: number }) =>
  [listener.headersTimeout, listener.requestTimeout, listener.keepAliveTimeout]

t.test('the user server listens with the timeouts it is given, the defaults otherwise', async (t) => {
  const store = openSqliteStore(':memory:')
  t.teardown(() => store.close())
  const options = { store, ...generateKeyPair(), adminToken: 'secret', logger: createLogger({}, () => {}) }
  t.same(timeoutsOf(createUserServer(options).server.listener), [10_000, 30_000, 5_000])
  t.same(timeoutsOf(createUserServer({ ...options, httpTimeouts: { headersMs: 5_000, requestMs: 12_000, idleMs: 2_000 } }).server.listener), [5_000, 12_000, 2_000])
})
