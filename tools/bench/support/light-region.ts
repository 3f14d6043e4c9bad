// A light simulated region (after conformance/runner/simulated-region.ts): its own Ed25519 key,
// provisioned at the user server, holding a lease, signing on its users; but a bare node:http
// listener instead of hapi, so that a hundred of them fit beside the load generator. It
// accepts the notices and group messages the user server sends and records, per request, when
// it arrived and what it carried. It checks that requests are signed by the user server
// (keyid), but does not verify the signature (that would cost the load generator's CPU).
import type { KeyObject } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { AllOperations, OperationId, RequestBody, SuccessBody } from '../../../reference/lib/contract/types.ts'
import { PeerClient, signerFor } from '../../../reference/lib/http/index.ts'

export type NoticeRequest = { at: number, region: number, notices: Array<{ type: string, toUserId: string, userId?: string }> }
export type GroupRequest = { at: number, region: number, messageId: string, toUserIds: string[] }

export type Recorder = {
  notices: NoticeRequest[]
  /** Requests that carried group messages, and the group messages they carried (one per message and region). */
  groupRequests: number
  groupMessages: number
  unsigned: number
  /** Called for each group message as its request arrives (latency measurement). */
  onGroupMessage?: (request: GroupRequest) => void
}

export function newRecorder (): Recorder {
  return { notices: [], groupRequests: 0, groupMessages: 0, unsigned: 0 }
}

export class LightRegion {
  /** Its calls to the user server: the typed PeerClient the reference regions use, signing with this region's key. */
  readonly client: PeerClient
  readonly hosted = new Set<string>()
  #server: Server | undefined
  url = ''

  constructor (readonly index: number, readonly regionId: string, readonly name: string, privateKey: KeyObject, readonly recorder: Recorder) {
    this.client = new PeerClient({ signer: signerFor(regionId, privateKey) })
  }

  async start (): Promise<string> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        const at = performance.now()
        const reply = (status: number, body: unknown): void => {
          const text = JSON.stringify(body)
          res.writeHead(status, { 'content-type': status < 300 ? 'application/json' : 'application/problem+json', 'content-length': Buffer.byteLength(text) })
          res.end(text)
        }
        /** The contract's answer of operation K (the light region answers only what succeeds). */
        const answer = <K extends OperationId>(_operationId: K, body: SuccessBody<AllOperations[K]>): void => reply(200, body)
        if (!/keyid="user-server"/.test(String(req.headers['signature-input'] ?? ''))) this.recorder.unsigned++
        const text = Buffer.concat(chunks).toString('utf8')
        // The requests come from the reference user server, which builds them from the same
        // contract types; the light region trusts them unchecked (checking would cost the load
        // generator's CPU), so the parsed JSON is taken as the operation's body.
        if (req.method === 'POST' && req.url === '/notices') {
          const { notices } = JSON.parse(text) as RequestBody<AllOperations['deliverNotices']>
          this.recorder.notices.push({ at, region: this.index, notices: notices.map((n) => ({ type: n.type, toUserId: n.toUserId, ...('userId' in n ? { userId: n.userId } : {}) })) })
          const notHere = [...new Set(notices.map((n) => n.toUserId).filter((id) => !this.hosted.has(id)))]
          return answer('deliverNotices', { accepted: notices.length - notices.filter((n) => !this.hosted.has(n.toUserId)).length, notHere })
        }
        /** One delivery, alone or in a batch: recorded as it arrived; who is here and who is not. */
        const take = (delivery: RequestBody<AllOperations['deliverGroupMessage']>): { delivered: string[], notHere: string[] } => {
          const request: GroupRequest = { at, region: this.index, messageId: delivery.messageId, toUserIds: delivery.toUserIds }
          this.recorder.groupMessages++
          this.recorder.onGroupMessage?.(request)
          return { delivered: request.toUserIds.filter((id) => this.hosted.has(id)), notHere: request.toUserIds.filter((id) => !this.hosted.has(id)) }
        }
        if (req.method === 'POST' && req.url === '/group-messages') {
          this.recorder.groupRequests++
          return answer('deliverGroupMessage', take(JSON.parse(text) as RequestBody<AllOperations['deliverGroupMessage']>))
        }
        // GRIDIM-GRP-26: the batch form, one result per delivery in order; one request however many it carries.
        if (req.method === 'POST' && req.url === '/group-message-batches') {
          this.recorder.groupRequests++
          const { deliveries } = JSON.parse(text) as RequestBody<AllOperations['deliverGroupMessages']>
          return answer('deliverGroupMessages', { results: deliveries.map((d) => ({ groupSessionId: d.groupSessionId, messageId: d.messageId, ...take(d) })) })
        }
        if (req.method === 'GET' && req.url === '/status') return answer('getRegionStatus', { regionId: this.regionId, name: this.name, kind: 'region', agents: this.hosted.size })
        reply(404, { type: 'urn:gridim:problem:unknown-operation', title: 'unknown operation', status: 404 })
      })
    })
    server.keepAliveTimeout = 60_000
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    this.#server = server
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    return this.url
  }

  /** GRIDIM-LEASE: announce the URL; nothing else is accepted from a region without a lease. */
  async renewLease (userServerUrl: string): Promise<void> {
    await this.client.call(userServerUrl, 'renewRegionLease', { params: { regionId: this.regionId }, body: { url: this.url, kind: 'region', name: this.name } })
  }

  async stop (): Promise<void> {
    const server = this.#server
    if (server === undefined) return
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  }
}
