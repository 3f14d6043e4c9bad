// A failure says what was seen instead (issue 14): the exchanges of the step, and what the
// runner's roles refused meanwhile.
import t from 'tap'
import type { ObservedExchange } from '../../reference/lib/http/index.ts'
import { exchangesSeen } from './expectations.ts'
import type { FlowContext } from './flow-context.ts'
import { withRefusals } from './run-flow.ts'

const target = { userServerUrl: 'http://127.0.0.1:1', regions: [{ name: 'R1', regionId: 'r1', url: 'http://127.0.0.1:2' }] }
// Only what roleAt and signerOf read of a flow's context.
const ctx = { target, regions: new Map([['R1', { url: 'http://127.0.0.1:2', regionId: 'r1' }]]), simulated: new Map() } as unknown as FlowContext
const x = (operationId: string, url: string, status: number, keyId?: string): ObservedExchange => ({ operationId, method: 'PUT', url, status, keyId, at: 0 })

t.test('an exchange expectation that fails lists the step\'s exchanges, who to whom and their status', async (t) => {
  t.equal(exchangesSeen(ctx, { exchanges: [] }), 'the step saw no other service-to-service exchange')
  const renewal = x('renewRegionLease', 'http://127.0.0.1:1/regions/r1/lease', 200, 'r1')
  t.equal(exchangesSeen(ctx, { exchanges: [renewal] }), 'the step saw no other service-to-service exchange (and 1 lease renewal)')
  t.equal(exchangesSeen(ctx, { exchanges: [renewal, renewal] }, 8, 'renewRegionLease'), 'the step saw 2 exchanges, the last 2: R1 -> US renewRegionLease 200, R1 -> US renewRegionLease 200')
  const exchanges = [renewal, renewal, x('renewRegionLease', 'http://127.0.0.1:1/regions/r1/lease', 401, 'r1'), x('getRegionStatus', 'http://127.0.0.1:2/status', 200)]
  t.equal(exchangesSeen(ctx, { exchanges }), 'the step saw 2 exchanges (and 2 lease renewals), the last 2: R1 -> US renewRegionLease 401, unsigned -> R1 getRegionStatus 200')
  t.equal(exchangesSeen(ctx, { exchanges }, 1), 'the step saw 2 exchanges (and 2 lease renewals), the last 1: unsigned -> R1 getRegionStatus 200')
  // The directory reads that follow renewals are counted apart too, so that a long wait still names what else happened.
  const directory = x('getDirectory', 'http://127.0.0.1:1/directory', 200)
  const long = [x('lookupUser', 'http://127.0.0.1:1/users', 200, 'r1'), directory, renewal, directory, renewal, directory]
  t.equal(exchangesSeen(ctx, { exchanges: long }, 1), 'the step saw 1 exchange (and 3 directory reads, 2 lease renewals), the last 1: R1 -> US lookupUser 200')
  t.equal(exchangesSeen(ctx, { exchanges: [directory] }, 8, 'getDirectory'), 'the step saw 1 exchange, the last 1: unsigned -> US getDirectory 200')
})

t.test('a failure\'s message is followed by the refusals of the runner\'s roles, when there are any', async (t) => {
  t.equal(withRefusals('saw 0', []), 'saw 0')
  t.equal(withRefusals('saw 0', [{ at: 1, by: 'RX', operationId: 'acceptAgent', method: 'POST', path: '/agents', status: 409, code: 'not-your-agent' }]),
    'saw 0\nmeanwhile RX refused 1 acceptAgent (POST /agents) with 409 not-your-agent')
})
