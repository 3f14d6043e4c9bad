// A role the runner plays records every request it answers, the malformed ones it refuses too,
// so that what an implementation under test sends it can be checked against the contract.
import t from 'tap'
import type { ObservedExchange } from '../../reference/lib/http/index.ts'
import { startSimulatedRegion } from '../runner/simulated-region.ts'

t.test('a simulated region records a refused request with its body, status and media type', async (t) => {
  const seen: ObservedExchange[] = []
  const sim = await startSimulatedRegion('RX', 'region', (x) => seen.push(x))
  t.teardown(sim.stop)
  const res = await fetch(`${sim.url}/notices`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'signature-input': 'gridim=();keyid="user-server"' },
    body: JSON.stringify({ notices: 'not a list' })
  })
  t.equal(res.status, 400)
  await res.text()
  const deadline = Date.now() + 5000
  while (seen.length === 0 && Date.now() < deadline) await new Promise((resolve) => setImmediate(resolve))
  t.match(seen, [{
    operationId: 'deliverNotices',
    method: 'POST',
    url: `${sim.url}/notices`,
    keyId: 'user-server',
    requestBody: { notices: 'not a list' },
    status: 400,
    responseBody: { code: 'invalid-request' },
    responseContentType: /^application\/problem\+json/
  }])
  t.same(sim.received, [], 'the handler never saw it')
})

t.test('an answered request and a path with no operation', async (t) => {
  const seen: ObservedExchange[] = []
  const sim = await startSimulatedRegion('RX', 'region', (x) => seen.push(x))
  t.teardown(sim.stop)
  await (await fetch(`${sim.url}/nowhere`)).text()
  await (await fetch(`${sim.url}/status`)).text()
  const deadline = Date.now() + 5000
  while (seen.length === 0 && Date.now() < deadline) await new Promise((resolve) => setImmediate(resolve))
  t.match(seen, [{ operationId: 'getRegionStatus', status: 200, responseBody: { regionId: sim.regionId, agents: 0 }, responseContentType: /^application\/json/ }],
    'only requests that reached an operation are recorded')
})
