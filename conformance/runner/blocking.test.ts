// Later failures that follow from an earlier one are blocked by it (issue 14).
import t from 'tap'
import type { ObservedExchange } from '../../reference/lib/http/index.ts'
import { Blocking, checkLabel } from './blocking.ts'
import type { Check } from './results.ts'

const check = (step: string, status: Check['status'], message?: string): Check =>
  ({ flow: 'x', step, outcome: `outcome ${step}`, requirements: [`GRIDIM-X-${step}`], status, ...(message === undefined ? {} : { message }) })

t.test('after a lease-expired failure, later lease-expired failures are blocked by the first; others stay failures', async (t) => {
  const b = new Blocking()
  t.same(b.judge(check('1', 'pass')), check('1', 'pass'))
  t.same(b.judge(check('2', 'fail', 'expected status 200, got 409: {"code":"lease-expired"}')).status, 'fail', 'the first is the failure')
  t.same(b.judge(check('3', 'fail', 'got 409 lease-expired')), { ...check('3', 'fail', 'got 409 lease-expired'), status: 'blocked', blockedBy: 'step 2 [GRIDIM-X-2] outcome 2' })
  t.equal(b.judge(check('4', 'fail', 'B saw no event')).status, 'fail', 'an unrelated failure is its own')
  t.equal(b.judge(check('5', 'impossible', 'lease-expired')).status, 'impossible')
})

t.test('a lease lost in the traffic is named with the first failure it caused', async (t) => {
  const b = new Blocking()
  const x: ObservedExchange = { operationId: 'renewRegionLease', method: 'PUT', url: 'http://h/regions/r/lease', status: 401, responseBody: { code: 'bad-signature' }, at: 0 }
  b.noteExchange({ ...x, status: 200, responseBody: {} }, 'R1')
  b.noteExchange(x, 'R1')
  b.noteExchange({ ...x, operationId: 'lookupUser', status: 409, responseBody: { code: 'lease-expired' } }, 'R2')
  b.judge(check('2', 'fail', 'lease-expired'))
  t.equal(b.judge(check('3', 'fail', 'lease-expired')).blockedBy, 'step 2 [GRIDIM-X-2] outcome 2 (R1\'s renewRegionLease was answered 401 bad-signature)')
  const other = new Blocking()
  other.noteExchange({ ...x, operationId: 'lookupUser', status: 409, responseBody: { code: 'lease-expired' } }, 'R2')
  other.noteExchange({ ...x, operationId: 'lookupUser', status: 409, responseBody: 'not json' }, 'R2')
  other.judge(check('2', 'fail', 'lease-expired'))
  t.equal(other.judge(check('3', 'fail', 'lease-expired')).blockedBy, 'step 2 [GRIDIM-X-2] outcome 2 (R2\'s lookupUser was answered 409 lease-expired)')
})

t.test('a user not signed on after a failed sign-on is blocked by the first failure of the flow', async (t) => {
  const b = new Blocking()
  t.equal(b.judge(check('1', 'fail', 'expected status 200, got 401')).status, 'fail')
  t.same(b.judge(check('2', 'fail', 'step 2 could not be performed: A is not signed on')).blockedBy, 'step 1 [GRIDIM-X-1] outcome 1')
  const alone = new Blocking()
  t.equal(alone.judge(check('1', 'fail', 'A is not signed on')).status, 'fail', 'with nothing before it, it is the failure')
  t.equal(alone.judge(check('2', 'fail', 'invalid-credentials')).blockedBy, 'step 1 [GRIDIM-X-1] outcome 1')
  t.equal(checkLabel({ step: '7', requirements: [], outcome: 'o' }), 'step 7 [] o')
})
