// JUnit XML: a testsuite per flow, a testcase per check.
import type { RunResult } from '../runner/results.ts'
import { requirementText } from './requirement-text.ts'
import { roleTable, roleTableText } from './role-table.ts'
import { runnerNote } from './runner-note.ts'

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

export function toJunit (run: RunResult): string {
  const suites = run.flows.map((f) => {
    const failures = f.checks.filter((c) => c.status === 'fail' || c.status === 'xpass').length
    const skipped = f.checks.filter((c) => c.status === 'skip' || c.status === 'impossible' || c.status === 'xfail' || c.status === 'blocked').length
    const cases = f.checks.map((c) => {
      const name = esc(`${c.step} ${c.outcome} [${c.requirements.join(', ')}]`)
      const open = `    <testcase classname="${esc(f.flow)}" name="${name}">`
      if (c.status === 'fail' || c.status === 'xpass') {
        const quoted = c.requirements.map((id) => `${id}: ${requirementText(id)}`).join('\n')
        return `${open}\n      <failure message="${esc(c.message ?? c.status)}">${esc(quoted)}</failure>\n    </testcase>`
      }
      if (c.status === 'blocked') return `${open}\n      <skipped message="${esc(`blocked by ${c.blockedBy ?? 'an earlier failure'}: ${c.message ?? ''}`)}"/>\n    </testcase>`
      // A pass of a role the runner plays is not the target's pass: reported, not counted.
      const runner = runnerNote(c)
      if (c.status === 'pass' && runner !== undefined) return `${open}\n      <skipped message="${esc(runner)}"/>\n    </testcase>`
      if (c.status !== 'pass') return `${open}\n      <skipped message="${esc(`${c.status}: ${c.message ?? ''}`)}"/>\n    </testcase>`
      return `${open}</testcase>`
    })
    return `  <testsuite name="${esc(f.flow)}" tests="${f.checks.length}" failures="${failures}" skipped="${skipped}" time="${(f.durationMs / 1000).toFixed(3)}">\n${cases.join('\n')}\n  </testsuite>`
  })
  const roles = `  <testsuite name="roles × chapters" tests="0" failures="0" skipped="0">\n    <system-out>${esc(roleTableText(roleTable(run)))}</system-out>\n  </testsuite>`
  // Which client interface the flows' clients used (--client-interface): a run over the stream is another run.
  const properties = `  <testsuite name="run" tests="0" failures="0" skipped="0">\n    <properties><property name="clientInterface" value="${esc(run.clientInterface ?? 'http')}"/></properties>\n  </testsuite>`
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="gridim-conformance ${esc(run.target)}">\n${[properties, roles, ...suites].join('\n')}\n</testsuites>\n`
}
