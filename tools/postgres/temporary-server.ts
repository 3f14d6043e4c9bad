/**
 * A throwaway PostgreSQL for tests and benchmarks: Debian's binaries, `initdb` into a fresh
 * temporary directory, `pg_ctl` on a free loopback port, trust authentication (nothing but this
 * machine's loopback can reach it, and it lives as long as the run). PostgreSQL refuses to run
 * as root, so under uid 0 the directory belongs to the `postgres` user and every binary runs
 * through `runuser -u postgres --`.
 */
import { execFile } from 'node:child_process'
import { accessSync, chownSync, constants, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { freePorts } from '../xmpp-servers/free-port.ts'

export const INSTALL_COMMAND = 'apt-get install -y postgresql'

export interface TemporaryPostgres {
  /** postgres://postgres@127.0.0.1:port/database */
  url: string
  /** The postmaster's process id. */
  pid: number
  port: number
  /** Data directory, log file and socket live under it. */
  dir: string
  /** Creates another empty database on the same server (in the given locale) and returns its URL. */
  createDatabase(name: string, locale?: string): Promise<string>
  /** Stops the server (bounded in time) and removes its directory. */
  stop(): Promise<void>
}

export interface TemporaryPostgresOptions {
  /**
   * Default true: PostgreSQL's ordinary crash-safe settings. False turns fsync and synchronous
   * commit off, for tests that throw the data away anyway.
   */
  durable?: boolean
  /** Name of the database created for the caller; default `gridim`. */
  database?: string
  /**
   * Locale of the caller's database (e.g. `C.utf8`), to exercise locale-dependent behaviour;
   * default the cluster's, C.
   */
  locale?: string
  /** Where the versions' directories are; default /usr/lib/postgresql (Debian's layout). */
  installRoot?: string
}

/** The newest installed PostgreSQL's bin directory, or null when none is installed. */
export function findPostgresBin(root = '/usr/lib/postgresql'): string | null {
  if (!existsSync(root)) return null
  const versions = readdirSync(root)
    .filter((v) => /^\d+(\.\d+)?$/.test(v) && existsSync(join(root, v, 'bin', 'initdb')) && existsSync(join(root, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a))
  return versions.length === 0 ? null : join(root, versions[0]!, 'bin')
}

function run(command: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: timeoutMs, killSignal: 'SIGKILL' }, (error, stdout, stderr) => {
      if (error === null) resolve(stdout)
      else reject(new Error(`${command} ${args.join(' ')} failed: ${error.message}\n${stdout}${stderr}`))
    })
  })
}

/**
 * Whether the process runs. The postmaster is no child of ours (pg_ctl detaches it), and where
 * pid 1 does not reap orphans an exited one lingers as a zombie, which signal 0 still reaches.
 */
export function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  try {
    // Field 3 of /proc/<pid>/stat, after the parenthesized command name: Z is a zombie, X dead.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return !/^[ZX]$/.test(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] ?? '')
  } catch {
    return true
  }
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (condition()) return true
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return condition()
}

function postgresUser(): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('postgres:'))
  if (line === undefined) {
    throw new Error(`running as root needs the postgres user to run PostgreSQL as; it comes with the package: ${INSTALL_COMMAND}`)
  }
  const fields = line.split(':')
  return { uid: Number(fields[2]), gid: Number(fields[3]) }
}

/**
 * Where the data directory goes: a non-durable server's data is thrown away anyway, so it goes
 * to memory (/dev/shm) when there is one — copying the template cluster there takes a tenth
 * of the time it takes on this machine's disk, and every write after it is cheaper too.
 */
function scratchRoot(durable: boolean): string {
  if (!durable) {
    try {
      accessSync('/dev/shm', constants.W_OK | constants.X_OK)
      if (statSync('/dev/shm').isDirectory()) return '/dev/shm'
    } catch {
      // no shared memory directory: the temp dir will do
    }
  }
  return tmpdir()
}

type PgRun = (name: string, args: string[], timeoutMs: number) => Promise<string>

const INITDB_ARGS = ['-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync']

/**
 * initdb takes ~2 s, most of a test file's PostgreSQL start-up; its result depends only on the
 * binaries and the arguments. So one fresh cluster is kept under the temp dir, made once per
 * machine (built aside, then renamed into place: processes starting together each build one
 * and the first rename wins), and each server starts from a copy of it.
 */
async function initdb(bin: string, owner: { uid: number; gid: number } | null, pgRun: PgRun, data: string): Promise<void> {
  const key = `${bin}|${INITDB_ARGS.join(' ')}|${owner?.uid ?? process.getuid?.()}`.replace(/[^A-Za-z0-9]+/g, '-')
  const template = join(tmpdir(), `gridim-postgres-template${key}`)
  const ready = (dir: string) => existsSync(join(dir, 'gridim-template-complete'))
  if (!ready(template)) {
    const building = mkdtempSync(join(tmpdir(), 'gridim-postgres-build-'))
    try {
      if (owner !== null) chownSync(building, owner.uid, owner.gid)
      await pgRun('initdb', ['-D', join(building, 'data'), ...INITDB_ARGS], 60_000)
      writeFileSync(join(building, 'gridim-template-complete'), '')
      try {
        renameSync(building, template)
      } catch {
        // Another process's template got there first; it is as good as ours.
      }
    } finally {
      rmSync(building, { recursive: true, force: true })
    }
  }
  if (ready(template)) {
    // -a keeps the owner (postgres) and the 0700 mode PostgreSQL insists on.
    await run('cp', ['-a', join(template, 'data'), data], 30_000)
  } else {
    await pgRun('initdb', ['-D', data, ...INITDB_ARGS], 60_000)
  }
}

export async function startTemporaryPostgres(options: TemporaryPostgresOptions = {}): Promise<TemporaryPostgres> {
  const installRoot = options.installRoot ?? '/usr/lib/postgresql'
  const bin = findPostgresBin(installRoot)
  if (bin === null) {
    throw new Error(`PostgreSQL is not installed (no ${installRoot}/*/bin/initdb); install it with: ${INSTALL_COMMAND}`)
  }
  const durable = options.durable ?? true
  const database = options.database ?? 'gridim'
  const asRoot = process.getuid?.() === 0
  const owner = asRoot ? postgresUser() : null

  const dir = mkdtempSync(join(scratchRoot(durable), 'gridim-postgres-'))
  const data = join(dir, 'data')
  const log = join(dir, 'postgres.log')
  if (owner !== null) chownSync(dir, owner.uid, owner.gid)
  // Every binary runs as the directory's owner.
  const pgRun = (name: string, args: string[], timeoutMs: number) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', join(bin, name), ...args], timeoutMs) : run(join(bin, name), args, timeoutMs)

  let pid = 0
  // A test process that exits without stopping its server (an uncaught error, process.exit)
  // must not leave a postmaster behind. 'exit' handlers run synchronously: SIGQUIT is
  // PostgreSQL's immediate shutdown, which still frees its shared memory (SIGKILL would leave
  // segments in /dev/shm).
  const onExit = (): void => {
    if (pid > 0 && processRuns(pid)) process.kill(pid, 'SIGQUIT')
    rmSync(dir, { recursive: true, force: true })
  }
  process.once('exit', onExit)
  const stop = async (): Promise<void> => {
    process.removeListener('exit', onExit)
    try {
      if (existsSync(join(data, 'postmaster.pid'))) {
        await pgRun('pg_ctl', ['stop', '-D', data, '-m', 'fast', '-w', '-t', '10'], 15_000).catch(() => {})
      }
      if (pid > 0 && processRuns(pid) && !(await waitFor(() => !processRuns(pid), 2_000))) {
        process.kill(pid, 'SIGKILL')
        await waitFor(() => !processRuns(pid), 5_000)
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }

  try {
    await initdb(bin, owner, pgRun, data)
    const [port] = (await freePorts(1)) as [number]
    const settings = [
      `-p ${port}`,
      `-k ${dir}`,
      '-c listen_addresses=127.0.0.1',
      '-c max_connections=200',
      ...(durable ? [] : ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off']),
    ]
    await pgRun('pg_ctl', ['start', '-D', data, '-l', log, '-w', '-t', '30', '-o', settings.join(' ')], 40_000).catch((error: Error) => {
      const tail = existsSync(log) ? readFileSync(log, 'utf8').slice(-2000) : ''
      throw new Error(`${error.message}\n${tail}`)
    })
    pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0])

    const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`
    const createDatabase = async (name: string, locale?: string): Promise<string> => {
      const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 10_000 })
      await client.connect()
      try {
        const withLocale = locale === undefined ? '' : ` LOCALE '${locale.replaceAll("'", "''")}' TEMPLATE template0`
        await client.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"${withLocale}`)
      } finally {
        await client.end()
      }
      return `postgres://postgres@127.0.0.1:${port}/${encodeURIComponent(name)}`
    }
    const url = await createDatabase(database, options.locale)
    return { url, pid, port, dir, createDatabase, stop }
  } catch (error) {
    await stop()
    throw error
  }
}
