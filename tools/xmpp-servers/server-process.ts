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

/** Live (non-zombie) processes of a process group, read from /proc (Linux). */
function liveMembers (pgid: number): number {
  let count = 0
  for (const entry of readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(entry)) continue
    try {
      // /proc/PID/stat: "pid (comm) state ppid pgrp …"; comm may contain spaces, so split after ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      if (Number(pgrp) === pgid && state !== 'Z') count++
    } catch {}
  }
  return count
}

/** Waits (bounded) until every process of the group has exited, so its ports are free. */
async function waitGroupGone (pgid: number, ms: number): Promise<void> {
  const deadline = Date.now() + ms
  while (liveMembers(pgid) > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20))
}
