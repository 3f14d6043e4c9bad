// Which typed client the runner and the benchmarks use (issue 13, item 2): the same
// clientSendInstantMessage round trip against an embedded region, sent by each candidate —
// PeerClient.call (typed from the generated operations, over node:http), openapi-fetch (typed
// from the generated paths, over undici's fetch), and the bench's untyped lean client as the
// floor. CPU time per call covers client and region (one process), so the differences between
// rows are the clients' own cost; calls/s is the same run's wall-clock rate with 8 in flight.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import createClient from 'openapi-fetch'
import type { paths } from '../../../openapi/generated/types/client.ts'
import { startGrid } from '../../../reference/grid/start-grid.ts'
import { createLogger, PeerClient } from '../../../reference/lib/http/index.ts'
import { keepAliveAgent, send } from '../support/http-client.ts'

export type ClientCost = { client: string, cpuUs: number, callsPerSecond: number }

const cpuMs = (): number => { const u = process.cpuUsage(); return (u.user + u.system) / 1000 }

/** CPU µs per call and calls per second, 8 calls in flight, after a warm-up. */
async function measure (n: number, fn: () => Promise<void>): Promise<{ cpuUs: number, callsPerSecond: number }> {
  for (let i = 0; i < Math.min(200, n); i++) await fn()
  const c0 = cpuMs()
  const t0 = performance.now()
  let left = n
  await Promise.all(Array.from({ length: 8 }, async () => { while (left-- > 0) await fn() }))
  return { cpuUs: ((cpuMs() - c0) * 1000) / n, callsPerSecond: (n * 1000) / (performance.now() - t0) }
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!

export async function measureClients (calls: number, rounds = 3): Promise<ClientCost[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gridim-bench-clients-'))
  const grid = await startGrid({ dataDir, regionCount: 1, logger: createLogger({ role: 'bench' }, () => {}) })
  const agent = keepAliveAgent()
  try {
    const peer = new PeerClient()
    const admin = { authorization: `Bearer ${grid.adminToken}` }
    const region = grid.regionInfo[0]!.url
    const user = async (firstName: string): Promise<string> =>
      (await peer.call(grid.userServerUrl, 'adminCreateUser', { headers: admin, body: { firstName, lastName: 'Bench', password: 'bench-password' } })).body.userId
    const [ada, brook] = [await user('Ada'), await user('Brook')]
    await peer.call(grid.userServerUrl, 'adminCreateFriendship', { headers: admin, body: { userIds: [ada, brook], rights: { ab: 1, ba: 1 } } })
    const login = async (firstName: string) => (await peer.call(region, 'clientLogin', { body: { firstName, lastName: 'Bench', password: 'bench-password' } })).body
    const sender = await login('Ada')
    await login('Brook') // online at the same region: each message is delivered into its event log
    const headers = { authorization: `Bearer ${sender.sessionSecret}` }
    const body = { toUserId: brook, body: 'x'.repeat(128) }
    const delivered = (outcome: string | undefined): void => { if (outcome !== 'delivered') throw new Error(`clientSendInstantMessage: outcome ${outcome}`) }

    const openapi = createClient<paths>({ baseUrl: region })
    const text = JSON.stringify(body)
    const url = new URL('/client/instant-messages', region)
    const variants: Array<[string, () => Promise<void>]> = [
      ['node:http, untyped (the bench\'s lean load client)', async () => {
        const answer = await send(agent, 'POST', url, text, headers)
        delivered(answer.status === 200 ? JSON.parse(answer.text).outcome : `status ${answer.status}`)
      }],
      ['PeerClient.call (typed; node:http, 10 s timeout)', async () => {
        delivered((await peer.call(region, 'clientSendInstantMessage', { headers, body })).body.outcome)
      }],
      ['openapi-fetch 0.17.0 (typed; undici fetch)', async () => {
        delivered((await openapi.POST('/client/instant-messages', { headers, body })).data?.outcome)
      }],
      ['openapi-fetch 0.17.0 (typed; undici fetch, AbortSignal.timeout 10 s)', async () => {
        delivered((await openapi.POST('/client/instant-messages', { headers, body, signal: AbortSignal.timeout(10_000) })).data?.outcome)
      }]
    ]
    // Interleaved rounds, the median of each: the machine is shared, and one busy neighbour
    // should not decide a row.
    const samples = variants.map(() => [] as Array<{ cpuUs: number, callsPerSecond: number }>)
    for (let round = 0; round < rounds; round++) {
      for (const [i, [, fn]] of variants.entries()) samples[i]!.push(await measure(calls, fn))
    }
    return variants.map(([client], i) => ({
      client,
      cpuUs: median(samples[i]!.map((s) => s.cpuUs)),
      callsPerSecond: median(samples[i]!.map((s) => s.callsPerSecond))
    }))
  } finally {
    agent.destroy()
    await grid.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
}
