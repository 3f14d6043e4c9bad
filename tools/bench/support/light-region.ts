// A light simulated region (after conformance/runner/simulated-region.ts): its own Ed25519 key,
// provisioned at the user server, holding a lease, signing on its users; but a bare node:http
// listener instead of hapi, so that a hundred of them fit beside the load generator. It
// accepts the notices and group messages the user server sends and records, per request, when
// it arrived and what it carried. It checks that requests are signed by the user server
// (keyid), but does not verify the signature (that would cost the load generator's CPU).
import type { KeyObject } from 'node:crypto'
import { createServer, type Agent, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { SignedClient } from './signed-client.ts'

export type NoticeRequest = { at: number, region: number, notices: Array<{ type: string, toUserId: string, userId?: string }> }
export type GroupRequest = { at: number, region: number, messageId: string, toUserIds: string[] }

export type Recorder = {
  notices: NoticeRequest[]
  groupMessages: GroupRequest[]
  unsigned: number
  /** Called as each group message request arrives (latency measurement). */
  onGroupMessage?: (request: GroupRequest) => void
}

export function newRecorder (): Recorder {
  return { notices: [], groupMessages: [], unsigned: 0 }
}

export class LightRegion {
  readonly client: SignedClient
  readonly hosted = new Set<string>()
  #server: Server | undefined
  url = ''

  constructor (readonly index: number, readonly regionId: string, readonly name: string, privateKey: KeyObject, agent: Agent, readonly recorder: Recorder) {
    this.client = new SignedClient(agent, regionId, privateKey)
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
        if (!/keyid="user-server"/.test(String(req.headers['signature-input'] ?? ''))) this.recorder.unsigned++
        const body = chunks.length === 0 ? undefined : JSON.parse(Buffer.concat(chunks).toString('utf8'))
        if (req.method === 'POST' && req.url === '/notices') {
          const notices = body.notices as NoticeRequest['notices']
          this.recorder.notices.push({ at, region: this.index, notices: notices.map((n) => ({ type: n.type, toUserId: n.toUserId, ...(n.userId === undefined ? {} : { userId: n.userId }) })) })
          const notHere = [...new Set(notices.map((n) => n.toUserId).filter((id) => !this.hosted.has(id)))]
          return reply(200, { accepted: notices.length - notices.filter((n) => !this.hosted.has(n.toUserId)).length, notHere })
        }
        if (req.method === 'POST' && req.url === '/group-messages') {
          const request: GroupRequest = { at, region: this.index, messageId: body.messageId, toUserIds: body.toUserIds }
          this.recorder.groupMessages.push(request)
          this.recorder.onGroupMessage?.(request)
          const delivered = request.toUserIds.filter((id) => this.hosted.has(id))
          return reply(200, { delivered, notHere: request.toUserIds.filter((id) => !this.hosted.has(id)) })
        }
        if (req.method === 'GET' && req.url === '/status') return reply(200, { regionId: this.regionId, name: this.name, kind: 'region', agents: this.hosted.size })
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
