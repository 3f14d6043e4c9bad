// The machine a run happened on, for the results file and BENCHMARKS.md.
import { cpus, freemem, loadavg, totalmem, release } from 'node:os'
import { execFileSync } from 'node:child_process'

export type Machine = { cpus: number, cpuModel: string, memoryGiB: number, freeMemoryGiB: number, node: string, kernel: string, openFilesLimit: string, prosody?: string, date: string, loadAverage: number[] }

function softNoFile (): string {
  try {
    return execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim()
  } catch {
    return 'unknown'
  }
}

function prosodyVersion (): string | undefined {
  try {
    return execFileSync('dpkg-query', ['-W', '-f=${Version}', 'prosody'], { encoding: 'utf8' }).trim()
  } catch {
    return undefined
  }
}

export function machine (): Machine {
  const gib = (n: number): number => Math.round((n / 2 ** 30) * 10) / 10
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: gib(totalmem()),
    freeMemoryGiB: gib(freemem()),
    node: process.version,
    kernel: release(),
    openFilesLimit: softNoFile(),
    prosody: prosodyVersion(),
    date: new Date().toISOString(),
    /** 1, 5 and 15 minute load averages at the start: other work on the machine skews every number. */
    loadAverage: loadavg().map((n) => Math.round(n * 100) / 100)
  }
}
