// The pack test's commands run as a user's shell would, and never outlive their time.
import { readFileSync } from 'node:fs'
import t from 'tap'
import { runCommand, userEnv } from './run-command.ts'

/** Whether a process runs: dead is gone, or a zombie (state Z) its new parent has not reaped yet. */
function running (pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]![0] !== 'Z'
  } catch {
    return false
  }
}

t.test('the environment drops the test runner\'s hooks, npm\'s variables and our node_modules/.bin', async (t) => {
  const env = userEnv({ HOME: '/h', NODE_OPTIONS: '--import=x', NODE_V8_COVERAGE: '.tap', TAP: '1', TAP_JOBS: '2', _TAPJS_X: 'y', npm_config_local_prefix: '/repo', PATH: '/repo/node_modules/.bin:/usr/bin' })
  t.same(env, { HOME: '/h', PATH: '/usr/bin' })
})

t.test('a command that overruns is killed, with its children', async (t) => {
  const ran = await runCommand('sh', ['-c', 'sleep 30 & echo $!; wait'], { cwd: '/', timeoutMs: 300 })
  t.equal(ran.code, null)
  t.match(ran.stderr, /killed after 300 ms/)
  t.ok(ran.ms < 10_000, `${ran.ms} ms`)
  t.notOk(running(Number(ran.stdout.trim())), 'the shell\'s child is gone too')
})

t.test('a command that is not there is an answer, not a crash', async (t) => {
  const ran = await runCommand('gridim-no-such-command', [], { cwd: '/', timeoutMs: 5_000 })
  t.equal(ran.code, null)
  t.match(ran.stderr, /ENOENT/)
})

t.test('output and exit status come back', async (t) => {
  const ran = await runCommand('sh', ['-c', 'echo out; echo err >&2; exit 3'], { cwd: '/', timeoutMs: 5_000 })
  t.same([ran.code, ran.stdout, ran.stderr], [3, 'out\n', 'err\n'])
})
