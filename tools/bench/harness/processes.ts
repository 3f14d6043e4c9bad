// Child processes for the measured roles: a TypeScript entry forked with tsx and an IPC channel
// (ready message, then request/response calls such as "stats"), optionally with --cpu-prof;
// and memory of any process read from /proc (Linux), so Prosody is measured the same way.
import { fork, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { mkdirSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')

export type ChildOptions = {
  args?: string[]
  /** Directory for a .cpuprofile written when the child exits; undefined = no profile. */
  cpuProfDir?: string
  /** Profile file name prefix (role). */
  name: string
  env?: Record<string, string>
  timeoutMs?: number
}

/** What a child answers over IPC, by name; each child module exports the type of its handlers. */
export type IpcHandlers = Record<string, (args?: any) => unknown>

export type IpcChild<Api extends IpcHandlers = IpcHandlers> = {
  child: ChildProcess
  pid: number
  ready: Record<string, any>
  /** Calls a handler of the child; typed by the child's handlers (what comes back crossed the IPC channel as JSON). */
  call: <K extends keyof Api & string>(op: K, args?: Parameters<Api[K]>[0]) => Promise<Awaited<ReturnType<Api[K]>>>
  /** Asks the child to stop (it writes its profile), SIGKILL after graceMs. */
  stop: (graceMs?: number) => Promise<void>
  stderr: () => string
}

type Reply = { id: number, ok: boolean, value?: unknown, error?: string }

export async function forkChild<Api extends IpcHandlers = IpcHandlers> (entry: string, options: ChildOptions): Promise<IpcChild<Api>> {
  const execArgv = ['--import', 'tsx', '--expose-gc']
  const profEnv: Record<string, string> = {}
  if (options.cpuProfDir !== undefined) {
    // The main thread only (--cpu-prof would also profile tsx's loader thread, under one name).
    mkdirSync(options.cpuProfDir, { recursive: true })
    execArgv.push(`--import=${join(REPO_ROOT, 'tools/bench/support/cpu-profiler.mjs')}`)
    Object.assign(profEnv, { GRIDIM_BENCH_CPU_PROF_DIR: options.cpuProfDir, GRIDIM_BENCH_CPU_PROF_NAME: options.name })
  }
  const child = fork(entry, options.args ?? [], {
    cwd: REPO_ROOT,
    execArgv,
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    env: { ...process.env, GRIDIM_LOG: process.env.GRIDIM_LOG ?? 'warn', ...profEnv, ...options.env }
  })
  let stderr = ''
  child.stderr!.on('data', (chunk) => { stderr = (stderr + chunk).slice(-20_000) })
  const pending = new Map<number, { resolve: (v: any) => void, reject: (e: Error) => void }>()
  let nextId = 1
  const exited = once(child, 'exit')
  const ready = await new Promise<Record<string, any>>((res, rej) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); rej(new Error(`${options.name} not ready after ${options.timeoutMs ?? 30_000} ms:\n${stderr}`)) }, options.timeoutMs ?? 30_000)
    child.on('message', (message: any) => {
      if (message?.type === 'ready') { clearTimeout(timer); res(message.value); return }
      const reply = message as Reply
      const waiter = pending.get(reply.id)
      if (waiter === undefined) return
      pending.delete(reply.id)
      if (reply.ok) waiter.resolve(reply.value)
      else waiter.reject(new Error(`${options.name}: ${reply.error}`))
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      rej(new Error(`${options.name} exited with ${code}:\n${stderr}`))
      for (const w of pending.values()) w.reject(new Error(`${options.name} exited with ${code}:\n${stderr}`))
    })
  })
  return {
    child,
    pid: child.pid!,
    ready,
    stderr: () => stderr,
    call: <K extends keyof Api & string>(op: K, args?: Parameters<Api[K]>[0]) => new Promise<Awaited<ReturnType<Api[K]>>>((res, rej) => {
      const id = nextId++
      pending.set(id, { resolve: res, reject: rej })
      child.send({ id, op, args })
    }),
    async stop (graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.send({ id: 0, op: 'exit' })
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
      await exited
      clearTimeout(timer)
    }
  }
}

/** The child's side: answers calls by name; `exit` runs `onExit` and leaves (writing --cpu-prof). */
export function serveIpc (ready: Record<string, unknown>, handlers: IpcHandlers, onExit: () => Promise<void>): void {
  process.on('message', (message: { id: number, op: string, args?: unknown }) => {
    if (message.op === 'exit') {
      void onExit().finally(() => process.exit(0))
      return
    }
    const handler = handlers[message.op]
    Promise.resolve()
      .then(() => { if (handler === undefined) throw new Error(`unknown call ${message.op}`); return handler(message.args) })
      .then((value) => process.send!({ id: message.id, ok: true, value }), (error: Error) => process.send!({ id: message.id, ok: false, error: error.stack ?? error.message }))
  })
  process.once('disconnect', () => { void onExit().finally(() => process.exit(0)) })
  process.send!({ type: 'ready', value: ready })
}

/** Memory of a live process from /proc/PID/status, in bytes. */
export function processMemory (pid: number): { rss: number, hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN) * 1024
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') }
}

/** Node's own view, after a full collection when --expose-gc is on. */
export function nodeMemory (): { rss: number, heapUsed: number, heapTotal: number, external: number, arrayBuffers: number } {
  const g = (globalThis as { gc?: () => void }).gc
  if (g !== undefined) { g(); g() }
  const m = process.memoryUsage()
  return { rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers }
}

/** CPU time a process has used so far (user + system, ms), from /proc/PID/stat. */
export function processCpuMs (pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const ticks = Number(fields[11]) + Number(fields[12]) // utime, stime (fields 14 and 15 of stat)
  return (ticks * 1000) / 100 // USER_HZ is 100 on Linux
}

/**
 * Runs fn with NODE_OPTIONS preloading support/cpu-profiler.mjs, so Node processes it spawns
 * (e.g. `gridim` roles through reference/e2e) write CPU profiles to `dir` when they exit.
 */
export async function withCpuProfiles<T> (dir: string | undefined, fn: () => Promise<T>): Promise<T> {
  if (dir === undefined) return await fn()
  const saved = { options: process.env.NODE_OPTIONS, dir: process.env.GRIDIM_BENCH_CPU_PROF_DIR }
  process.env.NODE_OPTIONS = `${saved.options ?? ''} --import=${join(REPO_ROOT, 'tools/bench/support/cpu-profiler.mjs')}`.trim()
  process.env.GRIDIM_BENCH_CPU_PROF_DIR = dir
  try {
    return await fn()
  } finally {
    for (const [key, value] of [['NODE_OPTIONS', saved.options], ['GRIDIM_BENCH_CPU_PROF_DIR', saved.dir]] as const) {
      if (value === undefined) delete process.env[key]
      else process.env[key] = value
    }
  }
}

/** CPU ms of a process's main thread (tid = pid) and of all its other threads (libuv pool, GC helpers). */
export function threadCpuMs (pid: number): { main: number, others: number } {
  let total = 0
  let main = 0
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8')
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      const ms = ((Number(fields[11]) + Number(fields[12])) * 1000) / 100
      total += ms
      if (Number(tid) === pid) main = ms
    } catch {}
  }
  return { main, others: total - main }
}
