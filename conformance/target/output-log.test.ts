// The target's processes' output, per flow (issue 14): time-stamped, per stream, bounded.
import t from 'tap'
import type { FlowResult, RunResult } from '../runner/results.ts'
import { processOutputHtml, processOutputNote } from '../report/process-output.ts'
import { OutputLog } from './output-log.ts'
import { spawnRegion } from './region-process.ts'

t.test('the log gives what was written since a time, per stream, and forgets the oldest beyond its limit', async (t) => {
  const log = new OutputLog('Region 1', 10)
  t.equal(log.since(0), undefined, 'nothing written')
  log.add('stdout', 'one\n', 1)
  log.add('stderr', 'two\n', 2)
  t.same(log.since(0), { process: 'Region 1', stdout: 'one\n', stderr: 'two\n' })
  t.same(log.since(2), { process: 'Region 1', stdout: '', stderr: 'two\n' })
  log.add('stdout', 'three\n', 3)
  t.same(log.since(0), { process: 'Region 1', stdout: 'three\n', stderr: 'two\n' }, 'the oldest went first')
  log.add('stdout', 'a line longer than the limit\n', 4)
  t.same(log.since(4), { process: 'Region 1', stdout: 'a line longer than the limit\n', stderr: '' }, 'the newest is kept whole')
})

t.test('a region process\'s stdout and stderr go to its log', async (t) => {
  const log = new OutputLog('Region 1')
  const p = spawnRegion(['/bin/sh', '-c', 'echo listening; echo lease refused >&2'], {}, log)
  await p.exited
  t.same(log.since(0), { process: 'Region 1', stdout: 'listening\n', stderr: 'lease refused\n' })
})

t.test('the HTML report shows each stream that wrote something; the summary says where it is', async (t) => {
  const flow: FlowResult = { flow: 'x', title: 'x', file: 'x.yaml', checks: [], trace: [], durationMs: 1, processOutput: [{ process: 'Region <1>', stdout: 'a\nb\n', stderr: '' }] }
  t.equal(processOutputHtml(flow), '<details class="output"><summary>Region &lt;1&gt; stdout (2 lines)</summary><pre>a\nb\n</pre></details>')
  t.equal(processOutputHtml({ ...flow, processOutput: undefined }), '')
  const run: RunResult = { target: 't', startedAt: '', durationMs: 1, flows: [flow, { ...flow, processOutput: undefined }] }
  t.equal(processOutputNote(run, '/out'), 'output of the target\'s processes captured for 1 flow: in /out/report.json (flows[].processOutput) and /out/report.html (under each flow)')
  t.match(processOutputNote({ ...run, flows: [flow, flow] }, undefined), /captured for 2 flows: add --out DIR to keep it/)
  t.equal(processOutputNote({ ...run, flows: [] }, undefined), undefined)
})
