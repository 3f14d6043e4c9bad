// Scenario 6, issue 15 ("a lean peer path"): what signing and verifying a request cost next to
// the Ed25519 operation inside them, and where a signed peer request's server CPU goes — node:http,
// hapi, GridIM's contract glue, Ajv, the signature. Every figure is CPU time per operation, the
// median of interleaved rounds: the machine is shared, and a busy neighbour should not decide a row.
import { randomUUID, sign, verify } from 'node:crypto'
import { join } from 'node:path'
import { listOperations } from '../../../reference/lib/contract/operations.ts'
import {
  generateKeyPair, importPrivateKey, labelledSignature, NonceCache, signatureBase, signRequest, verifyRequest, type HttpRequest
} from '../../../reference/lib/signatures/index.ts'
import { forkChild, REPO_ROOT } from '../harness/processes.ts'
import { keepAliveAgent, send } from '../support/http-client.ts'

/** Issue 15: signRequest and verifyRequest within 1.3× of the Ed25519 operation they contain. */
export const SIGNATURE_RATIO_TARGET = 1.3

const VERIFY_BATCH = 50

const cpuUs = (): number => { const u = process.cpuUsage(); return u.user + u.system }
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!

/** The body of a deliverInstantMessage, as scenario 1 sends it. */
export function imBody (): string {
  return JSON.stringify({ messageId: randomUUID(), fromUserId: randomUUID(), fromName: 'Ada Lovelace', toUserId: randomUUID(), body: '1 '.padEnd(128, 'x'), sentAt: new Date().toISOString() })
}

/** What a verifier receives: the request with the signature fields, names lower-cased as on the wire. */
function received (request: HttpRequest, added: Record<string, string>): HttpRequest {
  const headers: Record<string, string> = { host: '127.0.0.1:4000', 'content-length': String(Buffer.byteLength(request.body as string)), connection: 'keep-alive' }
  for (const [name, value] of Object.entries({ ...request.headers, ...added })) headers[name.toLowerCase()] = String(value)
  return { ...request, headers }
}

export type SignatureCosts = {
  rawSignUs: number
  signRequestUs: number
  rawVerifyUs: number
  verifyRequestUs: number
  /** Medians of the per-round ratios. */
  signRatio: number
  verifyRatio: number
  baseBytes: number
}

/**
 * CPU µs per call of crypto.sign / crypto.verify (a KeyObject, the very signature base
 * signRequest builds for this request) and of signRequest / verifyRequest, `calls` each per
 * round, rounds interleaved, after a warm-up round. Every verifyRequest call verifies a freshly
 * signed request (signed outside the timed part), as a receiver would: none is a replay.
 */
export async function measureSignatures (calls: number, rounds: number): Promise<SignatureCosts> {
  const { privateKey, publicKey } = generateKeyPair()
  const request: HttpRequest = { method: 'POST', url: 'http://127.0.0.1:4000/instant-messages', headers: { accept: 'application/json', 'content-type': 'application/json' }, body: imBody() }
  const options = { keyId: randomUUID(), privateKey }
  const one = received(request, signRequest(request, options) as Record<string, string>)
  const base = Buffer.from(signatureBase(one, labelledSignature(one.headers, 'gridim').input), 'ascii')
  const signature = sign(null, base, privateKey)
  const cache = new NonceCache({ maxEntries: calls * (rounds + 2) })
  const resolveKey = async (): Promise<typeof publicKey> => publicKey
  const samples = { rawSign: [] as number[], signRequest: [] as number[], rawVerify: [] as number[], verifyRequest: [] as number[], signRatio: [] as number[], verifyRatio: [] as number[] }
  for (let round = -1; round < rounds; round++) {
    let c = cpuUs()
    for (let i = 0; i < calls; i++) sign(null, base, privateKey)
    const rawSign = (cpuUs() - c) / calls
    c = cpuUs()
    for (let i = 0; i < calls; i++) signRequest(request, options)
    const signed = (cpuUs() - c) / calls
    c = cpuUs()
    for (let i = 0; i < calls; i++) if (!verify(null, base, publicKey, signature)) throw new Error('the raw signature does not verify')
    const rawVerify = (cpuUs() - c) / calls
    // Signed in batches of 50 outside the timed part: a few live requests at a time, as a
    // server holds, rather than thousands that every young-generation collection would copy.
    let verifyCpu = 0
    for (let done = 0; done < calls; done += VERIFY_BATCH) {
      const batch = Array.from({ length: Math.min(VERIFY_BATCH, calls - done) }, () => received(request, signRequest(request, options) as Record<string, string>))
      c = cpuUs()
      for (const r of batch) await verifyRequest(r, { resolveKey, nonceCache: cache })
      verifyCpu += cpuUs() - c
    }
    const verified = verifyCpu / calls
    if (round < 0) continue
    samples.rawSign.push(rawSign)
    samples.signRequest.push(signed)
    samples.rawVerify.push(rawVerify)
    samples.verifyRequest.push(verified)
    samples.signRatio.push(signed / rawSign)
    samples.verifyRatio.push(verified / rawVerify)
  }
  return {
    rawSignUs: median(samples.rawSign),
    signRequestUs: median(samples.signRequest),
    rawVerifyUs: median(samples.rawVerify),
    verifyRequestUs: median(samples.verifyRequest),
    signRatio: median(samples.signRatio),
    verifyRatio: median(samples.verifyRatio),
    baseBytes: base.length
  }
}

export type PeerRequestCosts = {
  /** Server CPU µs per request of each server in support/peer-request-child.ts. */
  bareUs: number
  /** node:http and the signature authenticator, no framework. */
  bareSignedUs: number
  hapiUs: number
  contractUs: number
  signedUs: number
  /** In this process: UTF-8 check, JSON.parse and Ajv on the request body, Ajv on the answer. */
  validationUs: number
}

const VARIANTS = ['bare', 'bareSigned', 'hapi', 'contract', 'signed'] as const

/**
 * Server CPU µs per deliverInstantMessage for each rung of support/peer-request-child.ts (its
 * own process, so none of the client's CPU is counted), 8 requests in flight, `requests` per
 * rung per round, rounds interleaved after a warm-up round. With cpuProfDir the server writes a
 * --cpu-prof profile there.
 */
export async function measurePeerRequest (requests: number, rounds: number, cpuProfDir?: string): Promise<PeerRequestCosts> {
  const child = await forkChild<{ cpuUs: () => number }>(join(REPO_ROOT, 'tools/bench/support/peer-request-child.ts'), { name: 'peer-request', cpuProfDir })
  const agent = keepAliveAgent()
  try {
    const urls = child.ready.urls as Record<(typeof VARIANTS)[number], string>
    const options = { keyId: randomUUID(), privateKey: importPrivateKey(child.ready.privateKey as string) }
    const body = imBody()
    // Every rung receives the same bytes, a signed request: only the signed rung checks it.
    const once = async (variant: (typeof VARIANTS)[number]): Promise<void> => {
      const url = new URL(urls[variant])
      const headers = signRequest({ method: 'POST', url: url.href, headers: {}, body }, options) as Record<string, string>
      const answer = await send(agent, 'POST', url, body, headers)
      if (answer.status !== 200) throw new Error(`${variant}: status ${answer.status} ${answer.text}`)
    }
    const samples = new Map(VARIANTS.map((v) => [v, [] as number[]]))
    for (let round = -1; round < rounds; round++) {
      for (const variant of VARIANTS) {
        const c0 = await child.call('cpuUs')
        let left = requests
        await Promise.all(Array.from({ length: 8 }, async () => { while (left-- > 0) await once(variant) }))
        const c1 = await child.call('cpuUs')
        if (round >= 0) samples.get(variant)!.push((c1 - c0) / requests)
      }
    }
    return {
      bareUs: median(samples.get('bare')!),
      bareSignedUs: median(samples.get('bareSigned')!),
      hapiUs: median(samples.get('hapi')!),
      contractUs: median(samples.get('contract')!),
      signedUs: median(samples.get('signed')!),
      validationUs: measureValidation(requests * 5, body)
    }
  } finally {
    agent.destroy()
    await child.stop()
  }
}

/** What registerOperations' validation costs for one deliverInstantMessage: the same calls, in a loop. */
function measureValidation (calls: number, text: string): number {
  const op = listOperations('region').find((o) => o.operationId === 'deliverInstantMessage')!
  const validateBody = op.requestBody!
  const validateAnswer = op.responses.get('200')!.validate!
  const raw = Buffer.from(text)
  const utf8 = new TextDecoder('utf-8', { fatal: true })
  const once = (): void => {
    if (!validateBody(JSON.parse(utf8.decode(raw)))) throw new Error('the bench body breaks the contract')
    if (!validateAnswer({ status: 'delivered' })) throw new Error('the bench answer breaks the contract')
  }
  for (let i = 0; i < 1000; i++) once()
  const c = cpuUs()
  for (let i = 0; i < calls; i++) once()
  return (cpuUs() - c) / calls
}
