// The whole conformance suite over the client stream (issue 15: "the conformance suite passes
// over both client interfaces"): the command as a user runs it, `--client-interface stream`
// against the embedded reference grid with the simulated Jabber server, its flows in lanes. It
// must pass, the reports must say which interface was used, and the traces must show that the
// stream really carried the messages and the events — not HTTP under another name.
import t from 'tap'
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { RunResult, TraceEntry } from './runner/results.ts'

const dir = mkdtempSync(join(tmpdir(), 'gridim-stream-run-'))
t.teardown(() => { rmSync(dir, { recursive: true, force: true }) })

/** Runs the command to its end, at most `limitMs` (then it is killed, by its pid): its exit code and what it printed. */
async function runCommand (args: string[], limitMs: number): Promise<{ code: number | null, output: string }> {
  const child = spawn(process.execPath, ['--import=tsx', 'conformance/cli/main.ts', ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString() })
  child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString() })
  const timer = setTimeout(() => { child.kill('SIGTERM') }, limitMs)
  const code = await new Promise<number | null>((resolve) => { child.on('exit', (c) => { resolve(c) }) })
  clearTimeout(timer)
  return { code, output }
}

// Four flows at once, not twelve: tap runs another test file beside this one, and twelve grids on
// two busy cores have let a 2-second lease of the runner's own making lapse (x-region-dies).
const { code, output } = await runCommand(['--xmpp', 'simulated', '--client-interface', 'stream', '--flows-at-once', '4', '--out', dir], 170_000)
t.equal(code, 0, 'the whole suite passes over the client stream', { output: output.split('\n').filter((l) => /^(FAIL|BLOCKED|RESULT|gridim-conformance)/.test(l)).slice(0, 40).join('\n') })

const run = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as RunResult & { summary: Record<string, number> }
t.equal(run.clientInterface, 'stream', 'the JSON report names the client interface')
t.equal(run.summary.fail, 0, 'no check failed')
t.equal(run.summary.xpass, 0)
t.match(readFileSync(join(dir, 'report.junit.xml'), 'utf8'), /<property name="clientInterface" value="stream"\/>/, 'so does the JUnit report')
t.match(readFileSync(join(dir, 'report.html'), 'utf8'), /client interface: stream/, 'and the HTML one')
t.match(output, /client interface: stream/, 'and the summary')

/** The trace of a flow that names no client for its users: the run's interface is theirs. */
const trace = (flow: string): TraceEntry[] => run.flows.find((f) => f.flow === flow)?.trace ?? []
const seed9 = trace('09-a-messages-b')
const frames = (name: string, from?: string): number => seed9.filter((e) => e.method === 'WS' && e.operationId === `${name} frame` && (from === undefined || e.from === from)).length
t.equal(frames('hello', 'A'), 1, "in seed step 9, A's client said hello once")
t.equal(frames('sendInstantMessage', 'A'), 1, 'A sent its message as a frame')
t.equal(frames('sendInstantMessage', 'B'), 1, "and B its reply (the flow's two sends)")
t.equal(frames('result', 'R1'), 1, 'each answered by a result frame')
t.ok(frames('event', 'R1') >= 1 && frames('event', 'R2') >= 1, 'the events came as event frames')
t.ok(frames('ack') >= 2, 'and were acknowledged with ack frames')
t.equal(seed9.filter((e) => e.operationId === 'clientSendInstantMessage' || e.operationId === 'clientListEvents').length, 0, 'no message was sent, and no event read, over HTTP')
