// Scenario 6 — what one 1:1 message costs, piece by piece, in one process: the signature work
// every signed request carries (RFC 9421 with Ed25519, GRIDIM-SEC), and the HTTP machinery on
// each side (undici fetch, which PeerClient used until this table moved it to node:http;
// node:http; hapi with the contract's validation). It explains scenario 1's CPU per message;
// the numbers are CPU time per call. Its second table compares the typed clients on the
// client interface (client-costs.ts), which decided the one client the runner and the
// benchmarks use. Issue 15's tables (lean-peer-costs.ts): signRequest / verifyRequest as a ratio
// to the Ed25519 operation inside them (target 1.3×), and a signed peer request's server CPU,
// piece by piece, so that hapi's share is a number.
import { randomUUID } from 'node:crypto'
import { Agent, createServer as createHttpServer, request } from 'node:http'
import type { AddressInfo } from 'node:net'
import Hapi from '@hapi/hapi'
import { createLogger, createServer, registerOperations } from '../../../reference/lib/http/index.ts'
import { sized, type Scenario, type ScenarioResult } from '../harness/scenario.ts'
import { round } from '../harness/stats.ts'
import { measureClients } from './client-costs.ts'
import { measurePeerRequest, measureSignatures, SIGNATURE_RATIO_TARGET } from './lean-peer-costs.ts'

const FULL = { calls: 2000, signatureRounds: 7, requests: 3000, peerRequests: 2000, peerRounds: 5, clientCalls: 2000 }
const SMOKE = { calls: 50, signatureRounds: 1, requests: 100, peerRequests: 50, peerRounds: 1, clientCalls: 50 }

const cpuMs = (): number => { const u = process.cpuUsage(); return (u.user + u.system) / 1000 }

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
    const im = JSON.stringify({ messageId: randomUUID(), fromUserId: randomUUID(), fromName: 'Ada Lovelace', toUserId: randomUUID(), body: '1 '.padEnd(128, 'x'), sentAt: new Date().toISOString() })
    const rows: Array<[string, number, string]> = []
    options.log('costs: signatures')
    const sig = await measureSignatures(sizes.calls, sizes.signatureRounds)
    const ratio = (r: number): string => `${round(r)}× Ed25519, median of ${sizes.signatureRounds}`
    rows.push([`Ed25519 sign (the ${sig.baseBytes}-byte signature base signRequest makes)`, sig.rawSignUs, 'node:crypto, KeyObject'])
    rows.push(['Ed25519 verify (the same base)', sig.rawVerifyUs, 'node:crypto, KeyObject'])
    rows.push(['signRequest (digest, nonce, base, sign, serialise)', sig.signRequestUs, ratio(sig.signRatio)])
    rows.push(['verifyRequest (parse, digest, verify, nonce; each a fresh request)', sig.verifyRequestUs, ratio(sig.verifyRatio)])

    options.log('costs: a signed peer request on the server')
    const peer = await measurePeerRequest(sizes.peerRequests, sizes.peerRounds, options.cpuProfDir)
    const glue = peer.contractUs - peer.hapiUs - peer.validationUs
    const signature = peer.signedUs - peer.contractUs
    const share = (us: number): string => `${Math.round((us / peer.signedUs) * 100)} %`
    const floor = peer.bareSignedUs + peer.validationUs
    const peerRows: Array<[string, number, string]> = [
      ['node:http: read the body, answer JSON', peer.bareUs, share(peer.bareUs)],
      ['hapi routing and request lifecycle (plain route, raw payload)', peer.hapiUs - peer.bareUs, share(peer.hapiUs - peer.bareUs)],
      ['GridIM glue on hapi (createServer exts, registerOperations, problem details), without validation', glue, share(glue)],
      ['contract validation (UTF-8, JSON.parse, Ajv request body + response; in-process)', peer.validationUs, share(peer.validationUs)],
      ['signature verification on hapi (authenticator + verifyRequest)', signature, share(signature)],
      ['handler (a constant answer here; the region\'s own work is scenario 1\'s)', 0, '0 %'],
      ['a signed peer request on hapi, in all', peer.signedUs, '100 %'],
      ['(signature verification on bare node:http, for comparison)', peer.bareSignedUs - peer.bareUs, share(peer.bareSignedUs - peer.bareUs)],
      ['a lean node:http router\'s floor: node:http + signature + validation', floor, share(floor)],
      ['what hapi and the glue cost beyond that floor', peer.signedUs - floor, share(peer.signedUs - floor)]
    ]

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
          title: `A signed peer request (deliverInstantMessage) on the server: server CPU µs per request, its own process, 8 in flight, median of ${sizes.peerRounds} interleaved rounds`,
          columns: ['piece', 'server CPU µs', 'share'],
          rows: peerRows.map(([what, us, share]) => [what, round(us), share])
        },
        {
          title: 'Typed clients: clientSendInstantMessage to an embedded region (one process, 8 in flight, median of 3)',
          columns: ['client', 'CPU µs per call (client + region)', 'calls/s'],
          rows: clients.map((c) => [c.client, round(c.cpuUs), round(c.callsPerSecond)])
        }
      ],
      data: { rows: rows.map(([what, us, where]) => ({ what, us, where })), signatures: sig, peerRequest: peer, clients },
      targets: [
        { target: `signRequest ≤ ${SIGNATURE_RATIO_TARGET}× Ed25519 sign (issue 15)`, met: sig.signRatio <= SIGNATURE_RATIO_TARGET, detail: `${round(sig.signRatio)}×: ${round(sig.signRequestUs)} vs ${round(sig.rawSignUs)} µs` },
        { target: `verifyRequest ≤ ${SIGNATURE_RATIO_TARGET}× Ed25519 verify (issue 15)`, met: sig.verifyRatio <= SIGNATURE_RATIO_TARGET, detail: `${round(sig.verifyRatio)}×: ${round(sig.verifyRequestUs)} vs ${round(sig.rawVerifyUs)} µs` }
      ],
      notes: ['Signatures: CPU µs per call, the median of interleaved rounds of crypto.sign / crypto.verify on the very signature base signRequest builds, signRequest, and verifyRequest on freshly signed requests (no replays); the ratio is the median of the per-round ratios.',
        'Peer request: the server (tools/bench/support/peer-request-child.ts) runs alone in its own process, so its CPU time has none of the client\'s. Rows are differences between servers of growing weight: node:http, a plain hapi route, createServer + registerOperations without a signature, and with one; validation is timed in-process and taken out of the glue.',
        'A 1:1 grid message is: client → region 1 (hapi + contract), signRequest, PeerClient (node:http, kept alive) → region 2 (hapi + contract + verifyRequest), event log → SSE write. Prosody spends its whole per-message CPU (scenario 1, last column) on parsing and routing one stanza.',
        'Typed clients: the same round trip (login once, then clientSendInstantMessage to a friend online at the same region, outcome delivered) from each client; the region\'s work is the same in every row, so the differences are the clients\' own CPU.']
    }
  }
}
