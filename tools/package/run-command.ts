// Runs a command as a user's shell would for the pack test: its own process group (killed whole
// when it overruns, npm's children included), and an environment without what surrounds a test
// here — the test runner's loaders and coverage hooks (NODE_OPTIONS, NODE_V8_COVERAGE, TAP*), the
// npm_* variables of an enclosing `npm test` (npm_config_local_prefix would send a nested
// `npm ci` to this repository), and this repository's node_modules/.bin on the PATH (tsx).
import { spawn } from 'node:child_process'

export type Ran = { code: number | null, stdout: string, stderr: string, ms: number }

export function userEnv (env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const kept = Object.entries(env).filter(([k]) => !/^(NODE_OPTIONS$|NODE_V8_COVERAGE$|TAP|_TAPJS_|npm_)/.test(k))
  const path = (env.PATH ?? '').split(':').filter((p) => !p.endsWith('/node_modules/.bin')).join(':')
  return { ...Object.fromEntries(kept), PATH: path }
}

export function runCommand (command: string, args: string[], options: { cwd: string, timeoutMs: number }): Promise<Ran> {
  const started = Date.now()
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: options.cwd, env: userEnv(), stdio: ['ignore', 'pipe', 'pipe'], detached: true })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c) => { stdout += c })
    child.stderr.on('data', (c) => { stderr += c })
    const timer = setTimeout(() => {
      stderr += `\n(killed after ${options.timeoutMs} ms)`
      try { process.kill(-child.pid!, 'SIGKILL') } catch { /* already gone */ }
    }, options.timeoutMs)
    child.once('error', (err) => {
      clearTimeout(timer)
      resolve({ code: null, stdout, stderr: stderr + err.message, ms: Date.now() - started })
    })
    child.once('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr, ms: Date.now() - started })
    })
  })
}
