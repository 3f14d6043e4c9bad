// The role × chapter table and how each report keeps the runner's own roles apart (issue 14).
import t from 'tap'
import type { RunResult } from '../runner/results.ts'
import { countByStatus } from '../runner/results.ts'
import { toHtml } from './html.ts'
import { toJson } from './json.ts'
import { toJunit } from './junit.ts'
import { roleTable, roleTableHtml, roleTableText } from './role-table.ts'
import { runnerNote } from './runner-note.ts'
import { toTap } from './tap.ts'

const run: RunResult = {
  target: 'my region',
  startedAt: '2026-12-02T00:00:00.000Z',
  durationMs: 10,
  flows: [{
    flow: 'x-flow', title: 'A flow', file: 'x.yaml', durationMs: 5, trace: [],
    checks: [
      { flow: 'x-flow', step: '1', outcome: 'stored', requirements: ['GRIDIM-OFFL-1'], status: 'pass', role: 'user server', playedBy: 'runner', actor: 'US' },
      { flow: 'x-flow', step: '2', outcome: 'stored again', requirements: ['GRIDIM-OFFL-1'], status: 'fail', message: 'no', role: 'user server', playedBy: 'runner', actor: 'US' },
      { flow: 'x-flow', step: '3', outcome: 'delivered', requirements: ['GRIDIM-IM-9'], status: 'pass', role: 'region', playedBy: 'target', actor: 'R1' },
      { flow: 'x-flow', step: '4', outcome: 'refused', requirements: ['GRIDIM-SEC-3', 'GRIDIM-ERR-1'], status: 'fail', message: 'bad', role: 'region', playedBy: 'target', actor: 'R2' },
      { flow: 'x-flow', step: '5', outcome: 'cannot see', requirements: ['GRIDIM-IM-9'], status: 'impossible', message: 'no', role: 'region', playedBy: 'target', actor: 'R2' },
      { flow: 'x-flow', step: '6', outcome: 'as before', requirements: ['GRIDIM-IM-9'], status: 'xpass', role: 'region', playedBy: 'target' },
      { flow: 'x-flow', step: '7', outcome: 'old check', requirements: ['GRIDIM-OFFL-2'], status: 'pass' },
      { flow: 'x-flow', step: '8', outcome: 'stored, says R1', requirements: ['GRIDIM-IM-9', 'GRIDIM-OFFL-3'], status: 'pass', role: 'region', playedBy: 'target', actor: 'R1', runnerRequirements: ['GRIDIM-OFFL-3'] }
    ]
  }]
}

t.test('rows are roles, columns chapters, the runner\'s roles apart; a check counts once per chapter', async (t) => {
  const table = roleTable(run)
  t.same(table.chapters, ['07 instant messages', '08 offline messages', '12 security', '14 errors'])
  // Step 8 judges R1, but GRIDIM-OFFL-3 binds the runner's user server: not the target's requirement.
  t.same(table.rows.target.region, {
    '07 instant messages': { pass: 2, fail: 1, other: 1 },
    '08 offline messages': { pass: 1, fail: 0, other: 0 },
    '12 security': { pass: 0, fail: 1, other: 0 },
    '14 errors': { pass: 0, fail: 1, other: 0 }
  })
  t.same(table.rows.target.unknown, { '08 offline messages': { pass: 1, fail: 0, other: 0 } }, 'a check without attribution is the target\'s, as unknown')
  t.same(table.rows.runner['user server'], { '08 offline messages': { pass: 1, fail: 1, other: 0 } })
  t.same(table.totals.target, { pass: 3, fail: 2, other: 1, requirementsPassed: 2 }, 'GRIDIM-IM-9 and GRIDIM-OFFL-2')
  t.same(table.totals.runner, { pass: 1, fail: 1, other: 0, requirementsPassed: 2 }, 'GRIDIM-OFFL-1 and -3, passed by no target check')
  t.same(countByStatus(run, 'runner'), { pass: 1, fail: 1, impossible: 0, skip: 0, xfail: 0, xpass: 0, blocked: 0 })
  t.same(countByStatus(run, 'target'), { pass: 3, fail: 1, impossible: 1, skip: 0, xfail: 0, xpass: 1, blocked: 0 })
})

t.test('the text table has the target\'s roles, then the runner\'s under their own heading', async (t) => {
  const text = roleTableText(roleTable(run))
  t.match(text, /Roles of the target:\nrole +07 +08 +12 +14\nregion +2\/1\/1 +1\/0\/0 +0\/1\/0 +0\/1\/0\nunknown +1\/0\/0/)
  t.match(text, /Roles the runner plays itself \(not the target's results\):\nrole +07 +08 +12 +14\nuser server +1\/1\/0/)
  t.match(text, /target: 3 pass, 2 fail, 1 other; 2 requirements passed/)
  t.match(text, /runner's own roles: 1 pass, 1 fail, 0 other; 2 requirements met only by them/)
  const onlyTarget = roleTableText(roleTable({ ...run, flows: [{ ...run.flows[0]!, checks: run.flows[0]!.checks.filter((c) => c.playedBy !== 'runner') }] }))
  t.notMatch(onlyTarget, /Roles the runner plays itself/, 'no runner section when the runner played nothing judged')
  t.match(roleTableText(roleTable({ ...run, flows: [] })), /Roles of the target:\nrole\n {2}\(none\)/)
})

t.test('JSON carries the table and counts per player; JUnit and TAP do not count the runner\'s passes', async (t) => {
  const json = JSON.parse(toJson(run))
  t.same(json.byPlayer.runner, { pass: 1, fail: 1, impossible: 0, skip: 0, xfail: 0, xpass: 0, blocked: 0 })
  t.same(json.summary, { pass: 3, fail: 1, impossible: 1, skip: 0, xfail: 0, xpass: 1, blocked: 0, messagesValidated: 0 }, 'the summary is the target\'s')
  t.same(json.roles.rows.runner['user server']['08 offline messages'], { pass: 1, fail: 1, other: 0 })
  t.equal(json.flows[0].checks[0].playedBy, 'runner')
  const xml = toJunit(run)
  t.match(xml, /<testsuite name="roles × chapters" tests="0"[^>]*>\n {4}<system-out>Checks by the role/)
  t.match(xml, /tests="8" failures="3" skipped="1"/, 'suite counts are unchanged')
  t.match(xml, /name="1 stored \[GRIDIM-OFFL-1\]">\n {6}<skipped message="judges the runner's own user server \(US\), not the target"\/>/)
  t.match(xml, /name="3 delivered \[GRIDIM-IM-9\]"><\/testcase>/, 'the target\'s pass is a plain pass')
  const tap = toTap(run)
  t.match(tap, /ok 1 - 1 stored \[GRIDIM-OFFL-1\] # SKIP judges the runner's own user server \(US\), not the target/)
  t.match(tap, /ok 3 - 3 delivered \[GRIDIM-IM-9\]\n/)
  t.match(tap, /ok 7 - 7 old check \[GRIDIM-OFFL-2\]\n/)
})

t.test('HTML shows both tables and counts only the target\'s passes per requirement', async (t) => {
  const html = toHtml(run)
  t.match(html, /checks of the target: pass: 3 · fail: 1 · impossible: 1 · skip: 0 · xfail: 0 · xpass: 1 · blocked: 0 · of the runner's own roles: pass: 1 · fail: 1 ·/)
  t.match(html, /<h3>Roles of the target<\/h3><table class="roles-target"><tr><th>role<\/th><th title="07 instant messages">07<\/th>/)
  t.match(html, /<table class="roles-runner"><tr><th>role<\/th>.*<tr><th>user server<\/th><td><\/td><td>1\/1\/0<\/td>/)
  t.match(html, /GRIDIM-OFFL-1<\/td><td>0\/2/, 'the runner\'s pass is not the target\'s')
  t.match(html, /GRIDIM-OFFL-3<\/td><td>0\/1/, 'nor a requirement of the runner\'s role in a target\'s check')
  t.match(html, /GRIDIM-IM-9<\/td><td>2\/4/)
  t.match(html, /pass <small>\(judges the runner's own user server \(US\), not the target\)<\/small>/)
  t.match(roleTableHtml(roleTable({ ...run, flows: [] })), /<table class="roles-target"><tr><th>role<\/th><\/tr><\/table>/)
})

t.test('the runner\'s note names the role and, when known, the actor', async (t) => {
  const c = run.flows[0]!.checks[0]!
  t.equal(runnerNote(c), 'judges the runner\'s own user server (US), not the target')
  t.equal(runnerNote({ ...c, actor: undefined, role: undefined }), 'judges the runner\'s own role, not the target')
  t.equal(runnerNote({ ...c, playedBy: 'target' }), undefined)
})
