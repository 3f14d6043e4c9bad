// A server child process: its own process group (so stop reaches every descendant), the tail
// of its output kept for error messages, and a stop that waits for the exit.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process'
import { once } from 'node:events'
import { readFileSync, readdirSync } from 'node:fs'

const TAIL_CHARS = 4000

export class ServerProcess {
  readonly child: ChildProcess
  private output = ''
  exited: string | undefined

  constructor (command: string, args: string[], options: SpawnOptions = {}) {
    this.child = spawn(command, args, { ...options, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
    const keep = (chunk: Buffer): void => { this.output = (this.output + chunk.toString('utf8')).slice(-TAIL_CHARS) }
    this.child.stdout?.on('data', keep)
    this.child.stderr?.on('data', keep)
    this.child.once('error', (error) => { this.exited = `${command} could not start: ${error.message}` })
    this.child.once('exit', (code, signal) => {
      this.exited ??= `${command} exited (${signal ?? code}) before it was ready:\n${this.output}`
    })
  }

  get tail (): string {
    return this.output
  }

  /** Resolves true once the process has exited, false after `ms`. */
  async waitExit (ms: number): Promise<boolean> {
    const { child } = this
    if (child.exitCode !== null || child.signalCode !== null) return true
    return await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), ms)
      child.once('exit', () => { clearTimeout(timer); resolve(true) })
    })
  }

  /** SIGTERM to the whole group, SIGKILL after `graceMs`; resolves when the process has exited. */
  async stop (graceMs = 3000): Promise<void> {
    const { child } = this
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return
    const exit = once(child, 'exit')
    const signal = (name: NodeJS.Signals): void => {
      try { process.kill(-child.pid!, name) } catch {}
    }
    signal('SIGTERM')
    const timer = setTimeout(() => signal('SIGKILL'), graceMs)
    await exit
    clearTimeout(timer)
    signal('SIGKILL') // descendants that outlived the leader (ejabberd's VM under its shell)
    await waitGroupGone(child.pid, 5000)
  }
}

/** The state letter of a /proc/…/stat line ("pid (comm) state ppid pgrp …"; comm may hold spaces) and its process group. */
function readStat (path: string): { state: string, pgrp: number } {
  const stat = readFileSync(path, 'utf8')
  const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return { state: state!, pgrp: Number(pgrp) }
}

/**
 * Whether a process still runs: not a zombie, or a zombie whose other threads are still exiting.
 * A multi-threaded process (ejabberd's beam.smp) shows its leader as a zombie as soon as the
 * leader's thread is gone, while its other threads may still hold its sockets: a port looked
 * free, then still answered (seen in CI).
 */
function running (pid: string, state: string): boolean {
  if (state !== 'Z') return true
  try {
    return readdirSync(`/proc/${pid}/task`).some((task) => task !== pid && readStat(`/proc/${pid}/task/${task}/stat`).state !== 'Z')
  } catch {
    return false
  }
}

/** Live processes of a process group, read from /proc (Linux). */
function liveMembers (pgid: number): number {
  let count = 0
  for (const entry of readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(entry)) continue
    try {
      const { state, pgrp } = readStat(`/proc/${entry}/stat`)
      if (pgrp === pgid && running(entry, state)) count++
    } catch {}
  }
  return count
}

/** Waits (bounded) until every process of the group has exited, so its ports are free. */
async function waitGroupGone (pgid: number, ms: number): Promise<void> {
  const deadline = Date.now() + ms
  while (liveMembers(pgid) > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20))
}
