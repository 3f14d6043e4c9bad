// The user server in its own process, for the scenarios that measure it (sign-on storm, group
// fan-out): opens the fixture's SQLite file, listens on loopback, and answers IPC calls —
// `stats` (request counts both ways, memory after a full GC), `reset`, `idle` (every request
// queued for regions answered).
import { parseArgs } from 'node:util'
import { loadOrCreateKeyPair } from '../../../reference/grid/keys.ts'
import { createLogger } from '../../../reference/lib/http/index.ts'
import { exportPublicKey } from '../../../reference/lib/signatures/index.ts'
import { openSqliteStore } from '../../../reference/store/index.ts'
import { createUserServer } from '../../../reference/user-server/index.ts'
import { nodeMemory, serveIpc } from '../harness/processes.ts'

const { values } = parseArgs({ options: { 'gateway-domain': { type: 'string', default: 'grid.localhost' }, db: { type: 'string' }, 'key-file': { type: 'string' }, 'admin-token': { type: 'string' } } })
const store = openSqliteStore(values.db!)
const keys = loadOrCreateKeyPair(values['key-file']!)
const server = createUserServer({ store, ...keys, adminToken: values['admin-token']!, gatewayDomain: values['gateway-domain'], logger: createLogger({ role: 'user-server' }) })
const url = await server.start()

const handlers = {
  stats: () => ({ sent: server.metrics.sent, received: server.metrics.received, memory: nodeMemory() }),
  reset: () => { server.metrics.reset() },
  idle: async () => { await server.idle() }
}
/** The calls the parent may make (forkChild<UserServerIpc>). */
export type UserServerIpc = typeof handlers

serveIpc({ url, publicKey: exportPublicKey(keys.publicKey) }, handlers, async () => {
  await server.stop()
  await store.close()
})
