// Which messages the runner judges against the contract (only what an implementation under test
// produced), how often, and how a departure reads as a failed check (GRIDIM-ROLE-9).
import t from 'tap'
import type { ObservedExchange } from '../../reference/lib/http/index.ts'
import type { Target } from '../target/target.ts'
import { ContractLedger } from './contract-ledger.ts'

const R1 = '1d2e3f40-5162-4738-89a0-b1c2d3e4f506'
const RX = '2e3f4051-6273-4849-8a0b-c1d2e3f40516'
const US_URL = 'http://127.0.0.1:8000'
const R1_URL = 'http://127.0.0.1:8001'
const RX_URL = 'http://127.0.0.1:8009'

function ledger (target: Partial<Target> = {}): ContractLedger {
  return new ContractLedger({
    target: { name: 't', userServerUrl: US_URL, adminToken: 'x', regions: [{ name: 'Region 1', url: R1_URL, regionId: R1 }], capabilities: new Set(), close: async () => {}, ...target },
    regions: new Map([['R1', { url: R1_URL, regionId: R1 }]]),
    simulated: new Map([['RX', { url: RX_URL, regionId: RX }]])
  })
}

const badLease = { url: 'not a url at all', kind: 'region', name: 'Region 1' }
const badAnswer = { leaseSeconds: 'sixty', expiresAt: '2025-01-01T00:00:00Z' }

function lease (keyId: string | undefined, requestBody: unknown = badLease, responseBody: unknown = badAnswer): ObservedExchange {
  return { operationId: 'renewRegionLease', method: 'PUT', url: `${US_URL}/regions/${R1}/lease`, keyId, requestBody, status: 200, responseBody, responseContentType: 'application/json', at: 0 }
}

t.test('between two roles under test, the request and the answer are judged, each once', async (t) => {
  const l = ledger()
  const x = lease(R1)
  l.observed(x)
  l.observed(x) // the same exchange seen by PeerClient.observe and by the target's observer
  t.equal(l.validated, 2)
  const checks = l.checks('f')
  t.equal(checks.length, 2)
  t.match(checks[0], { flow: 'f', step: 'setup', status: 'fail', requirements: ['GRIDIM-ROLE-9'], outcome: 'renewRegionLease request from R1 matches openapi/user-server.yaml' })
  t.match(checks[0]!.message, /^R1 -> US renewRegionLease request: \/url must match format "uri" \(format\), got "not a url at all"$/)
  t.match(checks[1], { outcome: 'renewRegionLease response 200 from US matches openapi/user-server.yaml' })
  t.match(checks[1]!.message, /\/leaseSeconds must be integer/)
})

t.test('an unsigned request is the runner\'s (or a client\'s): only the answer is judged', async (t) => {
  const l = ledger()
  l.observed(lease(undefined))
  t.equal(l.validated, 1)
  t.same(l.checks('f').map((c) => c.outcome), ['renewRegionLease response 200 from US matches openapi/user-server.yaml'])
})

t.test('a request signed by a role the runner plays is not judged', async (t) => {
  const l = ledger()
  l.observed(lease(RX, badLease, { leaseSeconds: 60, expiresAt: '2025-01-01T00:00:00Z' }))
  t.equal(l.validated, 1, 'the answer of the user server under test is')
  t.same(l.checks('f'), [])
})

t.test('when the runner plays the user server, its answers are not judged; the region\'s requests are', async (t) => {
  const l = ledger({ playsUserServer: true })
  l.observed(lease(R1))
  t.equal(l.validated, 1)
  t.same(l.checks('f').map((c) => c.outcome), ['renewRegionLease request from R1 matches openapi/user-server.yaml'])
})

t.test('what a simulated role receives is judged, unless the runner itself sent it', async (t) => {
  const l = ledger()
  const notices = (keyId: string | undefined): ObservedExchange => ({
    operationId: 'deliverNotices', method: 'POST', url: `${RX_URL}/notices`, keyId, requestBody: { notices: [{ type: 'presence' }] }, status: 400, at: 0
  })
  l.received(notices('user-server'))
  l.received(notices(undefined))
  l.received(notices(RX))
  t.equal(l.validated, 2, 'the user server\'s request and an unsigned one; never the simulated role\'s answer')
  const [check] = l.checks('f')
  t.match(check, { outcome: 'deliverNotices request from US matches openapi/region.yaml' })
  t.match(check!.message, /^US -> RX deliverNotices request: .*\(seen 2 times\)$/, 'the same departure twice is one check')
})

t.test('answers to the runner\'s own calls are judged when a role under test gave them', async (t) => {
  const l = ledger()
  l.step = '3'
  l.answered('getRegionStatus', R1_URL, { status: 200, body: { regionId: R1, name: 'R', kind: 'region', agents: -1 }, contentType: 'application/json' })
  l.answered('getRegionStatus', RX_URL, { status: 200, body: {} })
  l.answered('getRegionStatus', R1_URL, { status: 0, body: undefined })
  t.equal(l.validated, 1)
  t.match(l.checks('f'), [{ step: '3', message: /^runner -> R1 getRegionStatus response 200: \/agents must be >= 0 \(minimum\), got -1$/ }])
})

t.test('a traffic check takes the violations of one role that break its requirements, and the end of the flow does not fail them again', async (t) => {
  const l = ledger()
  // R1 signs a lease whose url is not a URL (GRIDIM-ROLE-9) and an expiresAt with an offset (GRIDIM-ID-12 too).
  l.observed(lease(R1, badLease, { leaseSeconds: 60, expiresAt: '2025-01-01T00:00:00+00:00' }))
  t.same(l.traffic('R2', ['GRIDIM-ROLE-9']), { judged: 0, violations: [] }, 'nothing of a role the ledger has not seen')
  const shape = l.traffic('R1', ['GRIDIM-ID-1'])
  t.equal(shape.judged, 1, 'R1 sent one message')
  t.same(shape.violations, [], 'no identifier departs')
  const role9 = l.traffic('R1', ['GRIDIM-ROLE-9'])
  t.equal(role9.violations.length, 1)
  t.equal(role9.violations[0]!.from, 'R1')
  const stamp = l.traffic('US', ['GRIDIM-ID-12'])
  t.equal(stamp.violations.length, 1, 'the user server\'s answer breaks GRIDIM-ID-12')
  t.match(stamp.violations[0]!.violation.problems[0], { pointer: '/expiresAt', requirements: ['GRIDIM-ROLE-9', 'GRIDIM-ID-12'] })
  // R1's request is reported under ROLE-9 already; the user server's answer under ID-12 only.
  t.same(l.checks('f').map((c) => [c.actor, c.requirements]), [['US', ['GRIDIM-ROLE-9']]])
})
