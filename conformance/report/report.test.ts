import t from 'tap'
import { Parser } from 'tap-parser'
import { toHtml, sequenceDiagram } from './html.ts'
import { toJunit } from './junit.ts'
import { toJson } from './json.ts'
import { toTap } from './tap.ts'
import type { RunResult } from '../runner/results.ts'

const run: RunResult = {
  target: 'test <target>',
  startedAt: '2026-11-24T00:00:00.000Z',
  durationMs: 12,
  flows: [{
    flow: 'x-flow', title: 'A flow', file: 'x.yaml', durationMs: 5, messagesValidated: 7,
    trace: [{ at: 1, kind: 'client', operationId: 'clientSendInstantMessage', from: 'A', to: 'R1', status: 200 },
      { at: 2, kind: 'peer', operationId: 'deliverInstantMessage', from: 'R1', to: 'R2', status: 404 }],
    checks: [
      { flow: 'x-flow', step: '1', outcome: 'B gets it', requirements: ['GRIDIM-IM-1'], status: 'pass' },
      { flow: 'x-flow', step: '2', outcome: 'stored # really', requirements: ['GRIDIM-OFFL-1'], status: 'fail', message: 'timed out' },
      { flow: 'x-flow', step: '3', outcome: 'needs xmpp', requirements: ['GRIDIM-XMPP-1'], status: 'impossible', message: 'no gateway' }
    ]
  }]
}

t.test('the TAP report parses, counts the failure, and says how to re-run the flow', async (t) => {
  const tap = toTap(run)
  const result: any = await new Promise((resolve) => { const p = new Parser(resolve); p.end(tap) })
  t.equal(result.ok, false)
  t.equal(result.count, 1)
  t.match(tap, /npx gridim-conformance --flow x-flow/)
  t.match(tap, /stored \\# really/)
  t.match(tap, /# SKIP impossible: no gateway/)
  t.match(tap, /# messages validated against the OpenAPI documents: 7/)
})

t.test('the JUnit report has one failure and one skipped case, escaped', async (t) => {
  const xml = toJunit(run)
  t.match(xml, /tests="3" failures="1" skipped="1"/)
  t.match(xml, /test &lt;target&gt;/)
})

t.test('the JSON report carries the summary, with the count of messages checked against the contract', async (t) => {
  t.same(JSON.parse(toJson(run)).summary, { pass: 1, fail: 1, impossible: 1, skip: 0, xfail: 0, xpass: 0, blocked: 0, messagesValidated: 7 })
})

t.test('the HTML report has a requirements table and a sequence diagram per flow', async (t) => {
  const html = toHtml(run)
  t.match(html, /GRIDIM-OFFL-1<\/td><td>0\/1/)
  t.match(html, /<svg/)
  t.match(sequenceDiagram(run.flows[0]!.trace), /deliverInstantMessage 404/)
})

t.test('the TAP and HTML reports re-run a flow against the target the run tested', async (t) => {
  const against = { ...run, rerun: ['--target', '/abs/target.yaml'] }
  t.match(toTap(against), /rerun: npx gridim-conformance --target \/abs\/target.yaml --flow x-flow/)
  t.match(toHtml(against), /re-run: <code>npx gridim-conformance --target \/abs\/target.yaml --flow x-flow<\/code>/)
})

t.test('a trace line names the caller, the method and the path with its query', async (t) => {
  const { traceLine } = await import('./tap.ts')
  const entry = { at: 1, kind: 'client' as const, operationId: 'clientListEvents', from: 'B', to: 'R2', method: 'GET', path: '/client/events?after=7&wait=5', status: 200 }
  t.equal(traceLine(entry), 'B -> R2 GET /client/events?after=7&wait=5 clientListEvents 200')
  t.equal(traceLine({ ...entry, method: undefined, path: undefined, status: undefined }), 'B -> R2 clientListEvents')
  t.match(sequenceDiagram([entry]), /<title>GET \/client\/events\?after=7&amp;wait=5<\/title>clientListEvents 200/)
  t.match(toTap({ ...run, flows: [{ ...run.flows[0]!, trace: [entry] }] }), /B -> R2 GET \/client\/events\?after=7&wait=5 clientListEvents 200/)
})

t.test('a blocked check is neither a pass nor a failure: TAP skips it, JUnit skips it, HTML and JSON name its cause', async (t) => {
  const blocked = { flow: 'x-flow', step: '4', outcome: 'B gets it', requirements: ['GRIDIM-IM-2'], status: 'blocked' as const, message: 'got 409 lease-expired', blockedBy: 'step 2 [GRIDIM-OFFL-1] stored' }
  const withBlocked: RunResult = { ...run, flows: [{ ...run.flows[0]!, checks: [...run.flows[0]!.checks, blocked] }] }
  t.match(toTap(withBlocked), /ok 4 - 4 B gets it \[GRIDIM-IM-2\] # SKIP blocked by step 2 \[GRIDIM-OFFL-1\] stored: got 409 lease-expired/)
  t.match(toJunit(withBlocked), /tests="4" failures="1" skipped="2"/)
  t.match(toJunit(withBlocked), /<skipped message="blocked by step 2 \[GRIDIM-OFFL-1\] stored: got 409 lease-expired"/)
  t.match(toHtml(withBlocked), /blocked<\/td>.*blocked by step 2 \[GRIDIM-OFFL-1\] stored: got 409 lease-expired/)
  t.equal(JSON.parse(toJson(withBlocked)).summary.blocked, 1)
})
