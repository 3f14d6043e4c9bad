// The reference XMPP gateway in its own process (what `gridim gateway` runs), for the BOSH
// scenario: IM-only grid users log in over /http-bind. IPC: `stats` (memory after a full GC,
// BOSH sessions held).
import { parseArgs } from 'node:util'
import { createGateway } from '../../../reference/gateway/index.ts'
import { loadOrCreateKeyPair } from '../../../reference/grid/keys.ts'
import { createLogger } from '../../../reference/lib/http/index.ts'
import { importPublicKey } from '../../../reference/lib/signatures/index.ts'
import { nodeMemory, serveIpc } from '../harness/processes.ts'

const { values } = parseArgs({
  options: {
    'user-server': { type: 'string' }, 'user-server-key': { type: 'string' }, 'region-id': { type: 'string' },
    'key-file': { type: 'string' }, domain: { type: 'string' }, 'max-wait': { type: 'string', default: '60' }, inactivity: { type: 'string', default: '30' }
  }
})
const keys = loadOrCreateKeyPair(values['key-file']!)
const gateway = createGateway({
  regionId: values['region-id']!,
  name: 'Bench gateway',
  domain: values.domain!,
  ...keys,
  userServerUrl: values['user-server']!,
  userServerKey: importPublicKey(values['user-server-key']!),
  logger: createLogger({ role: 'gateway' }),
  plainOnInsecure: true,
  bosh: { maxWait: Number(values['max-wait']), inactivity: Number(values.inactivity) }
})
const url = await gateway.start()
const endpoint = (gateway.region.server.plugins as Record<string, { endpoint?: { sessions: Map<string, unknown> } }>)['gridim-xmpp-bosh']?.endpoint

const handlers = {
  stats: () => ({ memory: nodeMemory(), boshSessions: endpoint?.sessions.size ?? null })
}
/** The calls the parent may make (forkChild<GatewayIpc>). */
export type GatewayIpc = typeof handlers

serveIpc({ url, domain: gateway.domain }, handlers, async () => {
  // As a crash would: signing 10,000 users off one by one is not what is measured.
  await gateway.kill()
})
