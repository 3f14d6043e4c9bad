// Real processes for the end-to-end tests: each role started with the `gridim` command, ready
// when it prints its {"ready": ...} line, stopped (or killed) by the test that started it.
import { spawn, type ChildProcess } from 'node:child_process'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createInterface } from 'node:readline'

const GRIDIM = resolve(dirname(fileURLToPath(import.meta.url)), '../../tools/bin/gridim.js')

export type RoleProcess = {
  ready: Record<string, any>
  child: ChildProcess
  /** SIGTERM and wait: the role shuts down gracefully. */
  stop: () => Promise<void>
  /** SIGKILL and wait: a crash, nothing is cleaned up. */
  kill: () => Promise<void>
  stderr: () => string
}

export async function startRole (args: string[], { timeoutMs = 20_000, env = {} }: { timeoutMs?: number, env?: Record<string, string> } = {}): Promise<RoleProcess> {
  const child = spawn(process.execPath, [GRIDIM, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, GRIDIM_LOG: process.env.GRIDIM_LOG ?? 'warn', ...env }
  })
  let stderr = ''
  child.stderr!.on('data', (chunk) => { stderr = (stderr + chunk).slice(-20_000) })
  const exited = new Promise<void>((res) => child.once('exit', () => res()))

  const ready = await new Promise<Record<string, any>>((res, rej) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); rej(new Error(`gridim ${args[0]} not ready after ${timeoutMs} ms:\n${stderr}`)) }, timeoutMs)
    const lines = createInterface({ input: child.stdout! })
    lines.on('line', (line) => {
      try {
        const parsed = JSON.parse(line)
        if (parsed.ready) { clearTimeout(timer); res(parsed.ready) }
      } catch {}
    })
    child.once('exit', (code) => { clearTimeout(timer); rej(new Error(`gridim ${args[0]} exited with ${code}:\n${stderr}`)) })
  })

  const end = (signal: NodeJS.Signals) => async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return
    child.kill(signal)
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
    await exited
    clearTimeout(timer)
  }
  return { ready, child, stop: end('SIGTERM'), kill: end('SIGKILL'), stderr: () => stderr }
}

/** Runs a role that is expected to stop by itself (a refused start-up): its exit code and stderr. */
export async function runToExit (args: string[], { timeoutMs = 20_000, env = {} }: { timeoutMs?: number, env?: Record<string, string> } = {}): Promise<{ code: number | null, stdout: string, stderr: string }> {
  const child = spawn(process.execPath, [GRIDIM, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, GRIDIM_LOG: process.env.GRIDIM_LOG ?? 'warn', ...env }
  })
  let stdout = ''
  let stderr = ''
  child.stdout!.on('data', (chunk) => { stdout += chunk })
  child.stderr!.on('data', (chunk) => { stderr = (stderr + chunk).slice(-20_000) })
  return await new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`gridim ${args[0]} still running after ${timeoutMs} ms:\n${stdout}\n${stderr}`)) }, timeoutMs)
    child.once('exit', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }) })
  })
}
