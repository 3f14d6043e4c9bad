// Several user-server instances on one PostgreSQL database behind HAProxy (issue 16), each its
// own `gridim user-server` process: what the multi-instance tests, the chaos run and the
// benchmarks start. Every instance shares the store, the admin token and the signing key, and
// takes the balancer's URL as its public URL (GRIDIM-SEC-4), so a region sees one user server.
// An instance that was killed comes back on its own port (what a supervisor does).
import { join } from 'node:path'
import { startRole, type RoleProcess } from '../../reference/e2e/processes.ts'
import { freePorts } from '../xmpp-servers/free-port.ts'
import { startBalancer, type Balancer } from './haproxy.ts'

export type UserServerInstance = {
  readonly port: number
  readonly running: boolean
  /** The process now (a restart replaces it). */
  readonly process: RoleProcess
  /** `kill -9`: nothing is flushed, its requests in flight fail. */
  kill: () => Promise<void>
  /** SIGTERM and wait. */
  stop: () => Promise<void>
  /** Starts it again on its port. */
  start: () => Promise<void>
}

export type UserServerCluster = {
  /** The balancer's URL: what regions and tests use as the user server's. */
  url: string
  balancer: Balancer
  instances: UserServerInstance[]
  /** Resolves once the balancer reaches every instance (after instances were started again). */
  healthy: () => Promise<void>
  stop: () => Promise<void>
}

export type UserServerClusterOptions = {
  instances: number
  /** postgres://… of a database every instance shares. */
  store: string
  adminToken: string
  /** Where the shared signing key is kept (dataDir/keys/user-server.pem). */
  dataDir: string
  gatewayDomain?: string
  env?: Record<string, string>
}

export async function startUserServerCluster (options: UserServerClusterOptions): Promise<UserServerCluster> {
  const [balancerPort, ...ports] = await freePorts(options.instances + 1)
  const url = `http://127.0.0.1:${balancerPort!}`
  const args = (port: number): string[] => [
    'user-server', '--store', options.store, '--admin-token', options.adminToken, '--data', options.dataDir,
    '--key-file', join(options.dataDir, 'keys', 'user-server.pem'), '--public-url', url, '--port', String(port),
    ...(options.gatewayDomain === undefined ? [] : ['--gateway-domain', options.gatewayDomain])
  ]
  const instances: UserServerInstance[] = []
  let balancer: Balancer | undefined
  const stop = async (): Promise<void> => {
    await balancer?.stop()
    for (const instance of instances) await instance.stop()
  }
  try {
    // The first creates the key and migrates the database; the others then start together.
    const [first, ...others] = ports
    instances.push(await startInstance(first!, args(first!), options.env))
    const rest = await Promise.allSettled(others.map((port) => startInstance(port, args(port), options.env)))
    for (const result of rest) if (result.status === 'fulfilled') instances.push(result.value)
    for (const result of rest) if (result.status === 'rejected') throw result.reason
    balancer = await startBalancer({ backends: ports.map((p) => `127.0.0.1:${p}`), port: balancerPort })
    await waitAllHealthy(url, instances.length)
  } catch (error) {
    await stop()
    throw error
  }
  return { url, balancer, instances, healthy: async () => { await waitAllHealthy(url, instances.length) }, stop }
}

async function startInstance (port: number, args: string[], env: Record<string, string> = {}): Promise<UserServerInstance> {
  let process = await startRole(args, { env })
  const alive = (): boolean => process.child.exitCode === null && process.child.signalCode === null
  return {
    port,
    get running () { return alive() },
    get process () { return process },
    kill: async () => { await process.kill() },
    stop: async () => { await process.stop() },
    start: async () => {
      if (alive()) return
      process = await startRole(args, { env })
    }
  }
}

/** Bounded: until the balancer has seen every instance answer its health check (a request reaches each in turn). */
async function waitAllHealthy (url: string, count: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    let ok = 0
    for (let i = 0; i < count * 2; i++) {
      try {
        if ((await fetch(`${url}/directory`)).ok) ok++
      } catch {}
    }
    if (ok === count * 2) return
    if (Date.now() > deadline) throw new Error(`the balancer at ${url} did not reach every instance within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}
