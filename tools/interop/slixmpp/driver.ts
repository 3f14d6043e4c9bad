// Drives tools/interop/slixmpp/client.py (an ordinary slixmpp client) from a Node test over
// JSON lines: commands on its stdin, events from its stdout. Bounded waits only; stop() ends the
// process by its pid (its own process group) and waits for the exit.
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createInterface } from 'node:readline'

/** Debian's interpreter: the one python3-slixmpp installs into (not whatever python3 is on PATH). */
export const SLIXMPP_PYTHON = '/usr/bin/python3'
const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'client.py')

export type SlixEvent = { event: string, [field: string]: any }

export interface SlixmppOptions {
  jid: string
  password: string
  host: string
  port: number
  /** Bound on the login (ms). */
  timeoutMs?: number
}

export class SlixmppClient {
  readonly events: SlixEvent[] = []
  private readonly child: ChildProcess
  private readonly waiters = new Set<{ match: (e: SlixEvent) => boolean, resolve: (e: SlixEvent) => void }>()
  private stderr = ''

  private constructor () {
    this.child = spawn(SLIXMPP_PYTHON, [SCRIPT], { detached: true, stdio: ['pipe', 'pipe', 'pipe'] })
    this.child.stderr!.on('data', (chunk: Buffer) => { this.stderr = (this.stderr + chunk.toString('utf8')).slice(-4000) })
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      let event: SlixEvent
      // Not every line is ours: slixmpp 1.8.3's MUC plugin print()s to stdout (xep_0045/muc.py).
      try { event = JSON.parse(line) } catch { event = { event: 'output', line } }
      if (process.env.DEBUG_SLIXMPP) console.error('slixmpp =>', line)
      this.events.push(event)
      for (const w of this.waiters) if (w.match(event)) { this.waiters.delete(w); w.resolve(event) }
    })
  }

  /** Starts the client process and logs in; resolves once slixmpp reports the session started. */
  static async connect (options: SlixmppOptions): Promise<SlixmppClient> {
    const client = new SlixmppClient()
    const online = client.next((e) => e.event === 'online' || (e.event === 'error' && e.where === 'auth'), options.timeoutMs ?? 15_000, 'login')
    client.send({ cmd: 'connect', jid: options.jid, password: options.password, host: options.host, port: options.port })
    const result = await online.catch(async (error) => { await client.stop(); throw error })
    if (result.event !== 'online') { await client.stop(); throw new Error(`slixmpp login failed: ${result.text}`) }
    return client
  }

  send (command: { cmd: string, [field: string]: unknown }): void {
    this.child.stdin!.write(JSON.stringify(command) + '\n')
  }

  /** Sends a command and waits for the client to have handed the stanza(s) to its stream. */
  async do (command: { cmd: string, [field: string]: unknown }, ms = 10_000): Promise<void> {
    const seq = Math.random().toString(36).slice(2)
    const done = this.next((e) => (e.event === 'done' && e.seq === seq) || (e.event === 'error' && e.where === 'command'), ms, command.cmd)
    this.send({ ...command, seq })
    const result = await done
    if (result.event === 'error') throw new Error(`slixmpp ${command.cmd}: ${result.text}`)
  }

  /** The next event (from now on) that `match` accepts, or a rejection after `ms`. */
  next (match: (e: SlixEvent) => boolean, ms = 10_000, what = 'event'): Promise<SlixEvent> {
    return new Promise((resolve, reject) => {
      const waiter = { match, resolve: (e: SlixEvent) => { clearTimeout(timer); resolve(e) } }
      const timer = setTimeout(() => {
        this.waiters.delete(waiter)
        reject(new Error(`slixmpp: no ${what} within ${ms} ms; last events: ${this.events.slice(-8).map((e) => JSON.stringify(e)).join('\n')}\n${this.stderr}`))
      }, ms)
      this.waiters.add(waiter)
    })
  }

  /** Events seen so far that `match` accepts. */
  seen (match: (e: SlixEvent) => boolean): SlixEvent[] {
    return this.events.filter(match)
  }

  /** Disconnects cleanly if it can, then ends the process group by pid; waits for the exit. */
  async stop (): Promise<void> {
    const { child } = this
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return
    const exit = once(child, 'exit')
    try { this.send({ cmd: 'disconnect' }); child.stdin!.end() } catch {}
    const term = setTimeout(() => { try { process.kill(-child.pid!, 'SIGTERM') } catch {} }, 3000)
    const kill = setTimeout(() => { try { process.kill(-child.pid!, 'SIGKILL') } catch {} }, 6000)
    await exit
    clearTimeout(term)
    clearTimeout(kill)
  }
}
