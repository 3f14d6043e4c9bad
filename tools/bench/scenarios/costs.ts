// Scenario 6 — what one 1:1 message costs, piece by piece, in one process: the signature work
// every signed request carries (RFC 9421 with Ed25519, GRIDIM-SEC), and the HTTP machinery on
// each side (undici fetch, which PeerClient used until this table moved it to node:http;
// node:http; hapi with the contract's validation). It explains scenario 1's CPU per message;
// the numbers are CPU time per call. Its second table compares the typed clients on the
// client interface (client-costs.ts), which decided the one client the runner and the
// benchmarks use.
import { randomUUID } from 'node:crypto'
import { Agent, createServer as createHttpServer, request } from 'node:http'
import type { AddressInfo } from 'node:net'
import Hapi from '@hapi/hapi'
import { createLogger, createServer, registerOperations } from '../../../reference/lib/http/index.ts'
import { generateKeyPair, NonceCache, signRequest, verifyRequest } from '../../../reference/lib/signatures/index.ts'
import { sign, verify } from 'node:crypto'
import { sized, type Scenario, type ScenarioResult } from '../harness/scenario.ts'
import { round } from '../harness/stats.ts'
import { measureClients } from './client-costs.ts'

const FULL = { calls: 3000, requests: 3000, clientCalls: 2000 }
const SMOKE = { calls: 100, requests: 100, clientCalls: 50 }

const cpuMs = (): number => { const u = process.cpuUsage(); return (u.user + u.system) / 1000 }

function perCall (n: number, fn: () => void): number {
  for (let i = 0; i < Math.min(200, n); i++) fn()
  const c0 = cpuMs()
  for (let i = 0; i < n; i++) fn()
  return ((cpuMs() - c0) * 1000) / n
}

/** CPU µs per request, client and server both in this process, 8 requests in flight. */
async function perRequest (n: number, fn: () => Promise<void>): Promise<number> {
  for (let i = 0; i < Math.min(200, n); i++) await fn()
  const c0 = cpuMs()
  let left = n
  await Promise.all(Array.from({ length: 8 }, async () => { while (left-- > 0) await fn() }))
  return ((cpuMs() - c0) * 1000) / n
}

export const costs: Scenario = {
  name: 'costs',
  title: '6. Per-message costs (one process)',
  async run (options): Promise<ScenarioResult> {
    const sizes = sized(options.smoke ? SMOKE : FULL, options.overrides)
    const { privateKey, publicKey } = generateKeyPair()
    const im = JSON.stringify({ messageId: randomUUID(), fromUserId: randomUUID(), fromName: 'Ada Lovelace', toUserId: randomUUID(), body: '1 '.padEnd(128, 'x'), sentAt: new Date().toISOString() })
    const req = { method: 'POST', url: 'http://127.0.0.1:4000/instant-messages', headers: { accept: 'application/json', 'content-type': 'application/json' }, body: im }
    const base = Buffer.from('x'.repeat(300))
    const sig = sign(null, base, privateKey)
    const signed = Object.fromEntries(Object.entries(signRequest(req, { keyId: 'k', privateKey })).map(([k, v]) => [k.toLowerCase(), v]))
    const rows: Array<[string, number, string]> = []
    options.log('costs: signatures')
    rows.push(['Ed25519 sign (300-byte signature base)', perCall(sizes.calls, () => sign(null, base, privateKey)), 'node:crypto'])
    rows.push(['Ed25519 verify', perCall(sizes.calls, () => verify(null, base, publicKey, sig)), 'node:crypto'])
    rows.push(['signRequest (digest, nonce, base, sign, serialise)', perCall(sizes.calls, () => signRequest(req, { keyId: 'k', privateKey })), 'reference/lib/signatures'])
    // verifyRequest is async (the key is resolved first): each call is awaited; every call
    // verifies (the nonce check comes last and only its answer differs).
    const cache = new NonceCache()
    let verified = 0
    rows.push(['verifyRequest (parse, digest, verify, nonce)', await perRequest(sizes.calls, async () => {
      await verifyRequest({ ...req, headers: { ...req.headers, ...signed } }, { resolveKey: async () => publicKey, nonceCache: cache }).then(() => { verified++ }, () => {})
    }), 'reference/lib/signatures'])
    if (verified !== 1) throw new Error(`the nonce cache accepted ${verified} repeats of one signed request`)

    options.log('costs: HTTP')
    const bare = createHttpServer((q, s) => { q.resume(); q.on('end', () => { s.writeHead(200, { 'content-type': 'application/json' }); s.end('{"status":"delivered"}') }) })
    await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve))
    const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/instant-messages`
    const agent = new Agent({ keepAlive: true })
    const viaHttp = (url: string) => () => new Promise<void>((resolve, reject) => {
      const r = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (res) => { res.resume(); res.on('end', () => res.statusCode === 200 ? resolve() : reject(new Error(`status ${res.statusCode}`))) })
      r.on('error', reject)
      r.end(im)
    })
    const viaFetch = (url: string, signal: boolean) => async () => {
      const res = await fetch(url, { method: 'POST', body: im, headers: { 'content-type': 'application/json' }, ...(signal ? { signal: AbortSignal.timeout(10_000) } : {}) })
      await res.text()
    }
    const plain = Hapi.server({ host: '127.0.0.1', port: 0 })
    plain.route({ method: 'POST', path: '/instant-messages', handler: () => ({ status: 'delivered' }) })
    await plain.start()
    const contract = createServer({ logger: createLogger({ role: 'bench' }) })
    registerOperations(contract, { document: 'region', authenticators: { gridimSignature: () => ({ kind: 'anonymous' }) }, handlers: { deliverInstantMessage: () => ({ body: { status: 'delivered' as const } }) } })
    await contract.start()
    const variants: Array<[string, () => Promise<void>]> = [
      ['node:http client → node:http server (keep-alive)', viaHttp(bareUrl)],
      ['fetch → node:http server', viaFetch(bareUrl, false)],
      ['fetch with AbortSignal.timeout → node:http server (PeerClient\'s transport until it moved to node:http)', viaFetch(bareUrl, true)],
      ['node:http client → hapi route', viaHttp(`${plain.info.uri}/instant-messages`)],
      ['node:http client → hapi + contract validation (deliverInstantMessage, no signature)', viaHttp(`${contract.info.uri}/instant-messages`)]
    ]
    try {
      // Three interleaved rounds, the median of each: the machine is shared, and one busy
      // neighbour should not decide a row.
      const samples = variants.map(() => [] as number[])
      for (let round = 0; round < 3; round++) {
        for (const [i, [, fn]] of variants.entries()) samples[i]!.push(await perRequest(sizes.requests, fn))
      }
      for (const [i, [what]] of variants.entries()) rows.push([what, samples[i]!.sort((a, b) => a - b)[1]!, 'both sides, median of 3'])
    } finally {
      agent.destroy()
      await plain.stop()
      await contract.stop()
      await new Promise((resolve) => bare.close(resolve))
    }
    options.log('costs: typed clients')
    const clients = await measureClients(sizes.clientCalls)
    return {
      scenario: 'costs',
      title: this.title,
      status: 'done',
      params: { ...sizes },
      tables: [
        { title: 'CPU time per call (µs), one process; HTTP rows include client and server', columns: ['what', 'µs', 'where'], rows: rows.map(([what, us, where]) => [what, round(us), where]) },
        {
          title: 'Typed clients: clientSendInstantMessage to an embedded region (one process, 8 in flight, median of 3)',
          columns: ['client', 'CPU µs per call (client + region)', 'calls/s'],
          rows: clients.map((c) => [c.client, round(c.cpuUs), round(c.callsPerSecond)])
        }
      ],
      data: { rows: rows.map(([what, us, where]) => ({ what, us, where })), clients },
      targets: [],
      notes: ['A 1:1 grid message is: client → region 1 (hapi + contract), signRequest, PeerClient (node:http, kept alive) → region 2 (hapi + contract + verifyRequest), event log → SSE write. Prosody spends its whole per-message CPU (scenario 1, last column) on parsing and routing one stanza.',
        'Typed clients: the same round trip (login once, then clientSendInstantMessage to a friend online at the same region, outcome delivered) from each client; the region\'s work is the same in every row, so the differences are the clients\' own CPU.']
    }
  }
}
