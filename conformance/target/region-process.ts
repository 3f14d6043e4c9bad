// A region under test that the runner starts itself, from the command the target file gives:
// placeholders in it ({userServerUrl}, {regionId}, {keyFile}, ...) are filled in, the process
// runs in its own process group (so a shell and what it starts stop together), and the region is
// ready when it has taken its lease at the user server the runner plays (GRIDIM-LEASE-1) — the
// lease also says at which base URL it serves (GRIDIM-ROLE-2).
import { spawn, type ChildProcess } from 'node:child_process'
import type { AllOperations, RequestBody } from '../../reference/lib/contract/types.ts'
import type { ObservedExchange } from '../../reference/lib/http/index.ts'
import type { OutputLog, OutputStream } from './output-log.ts'

type LeaseRequest = RequestBody<AllOperations['renewRegionLease']>

export const PLACEHOLDERS = ['userServerUrl', 'userServerKey', 'regionId', 'name', 'keyFile', 'port', 'publicUrl'] as const
export type Placeholder = typeof PLACEHOLDERS[number]

const PLACEHOLDER = /\{([A-Za-z]+)\}/g

/** The placeholders a command names; an unknown one is an error, found when the target file is read. */
export function placeholdersOf (command: string | string[]): Placeholder[] {
  const names = [...[command].flat().join(' ').matchAll(PLACEHOLDER)].map((m) => m[1]!)
  const unknown = names.filter((n) => !(PLACEHOLDERS as readonly string[]).includes(n))
  if (unknown.length > 0) throw new Error(`unknown placeholder ${unknown.map((n) => `{${n}}`).join(', ')}; known: ${PLACEHOLDERS.map((n) => `{${n}}`).join(' ')}`)
  return [...new Set(names)] as Placeholder[]
}

/** POSIX shell single quoting. */
function quoted (value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`
}

/** A command line (run by sh, values quoted) or an argument list (run directly), filled in. */
export function fillCommand (command: string | string[], values: Partial<Record<Placeholder, string>>): { file: string, args: string[], shell: boolean } {
  const fill = (text: string, quote: (v: string) => string): string => text.replace(PLACEHOLDER, (_, name: Placeholder) => {
    const value = values[name]
    if (value === undefined) throw new Error(`{${name}} has no value here`)
    return quote(value)
  })
  if (Array.isArray(command)) {
    const [file, ...args] = command.map((part) => fill(part, (v) => v))
    if (file === undefined) throw new Error('the command is empty')
    return { file, args, shell: false }
  }
  return { file: '/bin/sh', args: ['-c', fill(command, quoted)], shell: true }
}

export type RegionProcess = {
  child: ChildProcess
  /** SIGTERM, then SIGKILL after 10 s: a graceful stop (the region may end its lease). */
  stop: () => Promise<void>
  /** SIGKILL: a crash. */
  kill: () => Promise<void>
  /** The last lines it wrote, for error messages. */
  output: () => string
  /** Resolves when it exits, with what it said. */
  exited: Promise<string>
}

/** `log`, when given, gets everything it writes, time-stamped: a report shows it per flow (issue 14). */
export function spawnRegion (command: string | string[], values: Partial<Record<Placeholder, string>>, log?: OutputLog): RegionProcess {
  const { file, args } = fillCommand(command, values)
  const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true })
  let output = ''
  const keep = (stream: OutputStream) => (chunk: Buffer): void => {
    const text = chunk.toString('utf8')
    output = (output + text).slice(-4000)
    log?.add(stream, text)
  }
  child.stdout!.on('data', keep('stdout'))
  child.stderr!.on('data', keep('stderr'))
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => resolve(`exited (${signal ?? `code ${code}`}): ${output.trim().split('\n').slice(-10).join('\n')}`))
    child.once('error', (err) => resolve(`could not start: ${err.message}`))
  })
  const running = (): boolean => child.exitCode === null && child.signalCode === null && child.pid !== undefined
  // The whole process group: a shell's children go with it.
  const signal = (s: NodeJS.Signals): void => { try { process.kill(-child.pid!, s) } catch {} }
  return {
    child,
    output: () => output,
    exited,
    async stop () {
      if (!running()) return
      signal('SIGTERM')
      const timer = setTimeout(() => signal('SIGKILL'), 10_000)
      await exited
      clearTimeout(timer)
    },
    async kill () {
      if (!running()) return
      signal('SIGKILL')
      await exited
    }
  }
}

/**
 * `lease` resolves with the base URL of the first lease `regionId` takes from now on (a
 * successful renewRegionLease seen by `observe`), or rejects after timeoutMs; `cancel` gives up.
 * `regionId` may be a function: an id the runner learns while it waits (learn-region-id.ts).
 */
export function waitForLease (observe: (o: (x: ObservedExchange) => void) => () => void, regionId: string | (() => string | undefined), timeoutMs: number): { lease: Promise<string>, cancel: () => void } {
  const id = typeof regionId === 'string' ? () => regionId : regionId
  let stop = (): void => {}
  let timer: NodeJS.Timeout | undefined
  const lease = new Promise<string>((resolve, reject) => {
    timer = setTimeout(() => {
      stop()
      reject(new Error(`region ${id() ?? 'with an id of its own (none of its lease requests was signed with its key)'} took no lease within ${timeoutMs} ms`))
    }, timeoutMs)
    stop = observe((x) => {
      const current = id()
      if (current === undefined || x.operationId !== 'renewRegionLease' || x.status !== 200 || !x.url.includes(`/regions/${current}/lease`)) return
      // A region under test's request, not validated here (the contract ledger judges it): read warily.
      const url = (x.requestBody as Partial<Record<keyof LeaseRequest, unknown>> | undefined)?.url
      if (typeof url !== 'string') return
      clearTimeout(timer)
      stop()
      resolve(url)
    })
  })
  return { lease, cancel: () => { clearTimeout(timer); stop() } }
}
