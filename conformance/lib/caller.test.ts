// The caller of an observed request is read back from the async context it went out in.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import { PeerClient } from '../../reference/lib/http/index.ts'
import { isClientOperation } from '../runner/trace-callers.ts'
import { asCaller, currentCaller, pathOf } from './caller.ts'

t.test('a request made inside asCaller is observed as that caller\'s, across awaits; outside it, nobody\'s', async (t) => {
  const server = createServer((_, res) => { res.setHeader('content-type', 'application/json'); res.end('{"regionId":"r","name":"n","kind":"region","agents":0}') })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => { server.close() })
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const seen: Array<{ caller?: string, path: string }> = []
  const stop = PeerClient.observe((x) => { seen.push({ caller: currentCaller()?.name, path: pathOf(x.url) }) })
  t.teardown(stop)
  const peer = new PeerClient()
  await asCaller({ name: 'A' }, async () => {
    await new Promise((resolve) => setImmediate(resolve))
    await peer.callUnchecked(url, 'getRegionStatus', {})
  })
  await peer.callUnchecked(url, 'getRegionStatus', {})
  t.same(seen, [{ caller: 'A', path: '/status' }, { caller: undefined, path: '/status' }])
  t.equal(currentCaller(), undefined)
})

t.test('pathOf keeps the query', async (t) => {
  t.equal(pathOf('http://127.0.0.1:1/client/events?after=3&wait=0'), '/client/events?after=3&wait=0')
})

t.test('an unsigned observed request of client.yaml is a client\'s', async (t) => {
  t.equal(isClientOperation('clientListEvents'), true)
  t.equal(isClientOperation('renewRegionLease'), false)
})
