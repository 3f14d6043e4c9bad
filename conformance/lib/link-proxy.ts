// The runner's proxy in front of one role (issue 14, "observed traffic"): the role's public base
// URL is the proxy's, so every peer that reaches the role goes through it — signatures still
// verify, since `@target-uri` is formed from the public URL (GRIDIM-SEC-4). The proxy records what
// passes (for roles whose traffic the runner sees nowhere else) and, on a flow's order, misbehaves
// as a network does: it cuts the link from one peer (partition), delays it, holds requests or
// answers until released, or takes a request and never answers (blackhole).
//
// A request no fault matches is passed through as bytes: each connection is framed only enough to
// find where one request ends (its head and Content-Length) and joined to a connection of its own
// to the role. The first request a fault matches (or that the framing leaves to HTTP: a chunked
// body, a WebSocket handshake) hands the connection, from that request on, to the proxy's HTTP
// server, which acts on faults. Clients send the next request on a connection only once the
// previous answer has come, so a connection handed over has nothing in flight. Passing bytes costs
// a fraction of parsing and sending every request again (~5 s of CPU in a full run).
import { request as httpRequest, createServer, Agent, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http'
import { connect, createServer as createNetServer, type Server, type Socket } from 'node:net'
import { allOperations, type Operation } from '../../reference/lib/contract/operations.ts'
import type { ObservedExchange } from '../../reference/lib/http/index.ts'

export const LINK_FAULTS = ['partition', 'delay', 'hold', 'hold-answer', 'blackhole'] as const
export type LinkFaultKind = typeof LINK_FAULTS[number]

/**
 * What the proxy does to the requests it matches: `from` is the signer's keyid (`user-server`
 * or a regionId; absent: every request), `operationIds` narrows it to those operations.
 * - partition: the connection is closed without an answer, as if the role were unreachable;
 * - delay: forwarded `ms` later;
 * - hold: kept, unforwarded, until released (then forwarded);
 * - hold-answer: forwarded, and its answer kept until released;
 * - blackhole: kept, never forwarded nor answered; a release drops the connection.
 * With `count`, only the first `count` requests it matches (a peer that fails once and recovers).
 * `owner` (a flow's id) lets a heal end one flow's faults and leave another's. Of the faults that
 * match a request, the latest added decides.
 */
export type LinkFault = { kind: LinkFaultKind, from?: string, operationIds?: readonly string[], ms?: number, count?: number, owner?: string }

/** The largest request body the proxy keeps in memory (the roles refuse anything over 64 KiB, GRIDIM-LIM-3). */
const MAX_BODY = 4 * 1024 * 1024

type Held = { release: () => void, drop: () => void, owner?: string }

type Route = { operationId: string, method: string, pattern: RegExp }

let routes: Route[] | undefined

function routeOf (op: Operation): Route {
  const source = op.path.split('/').map((segment) => /^\{[^}]+\}$/.test(segment) ? '[^/]*' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('/')
  return { operationId: op.operationId, method: op.method.toUpperCase(), pattern: new RegExp(`^${source}$`) }
}

/** The operation of the contracts a request is for, by method and path; undefined for none. */
export function operationOf (method: string, path: string): string | undefined {
  routes ??= [...allOperations().values()].map(routeOf)
  const bare = path.split('?')[0]!
  return routes.find((r) => r.method === method.toUpperCase() && r.pattern.test(bare))?.operationId
}

/** The keyid a signed request names in Signature-Input (RFC 9421); undefined when unsigned. */
export function keyIdOf (headers: IncomingMessage['headers']): string | undefined {
  return /keyid="([^"]*)"/.exec(String(headers['signature-input'] ?? ''))?.[1]
}

function parsed (body: Buffer): unknown {
  if (body.length === 0) return undefined
  const text = body.toString('utf8')
  try { return JSON.parse(text) } catch { return text }
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer'])

function endToEnd (headers: IncomingMessage['headers']): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {}
  for (const [k, v] of Object.entries(headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = v
  return out
}

/**
 * What the pass-through needs of a request head: method, target, signer and body length; undefined
 * for a request it leaves to HTTP (a chunked or otherwise unframed body, an upgrade, a bad head).
 */
export function frameHead (head: Buffer): { method: string, target: string, signatureInput: string, contentLength: number } | undefined {
  const lines = head.toString('latin1').split('\r\n')
  const [method, target] = lines[0]!.split(' ')
  if (method === undefined || target === undefined) return undefined
  let contentLength: number | undefined
  let signatureInput = ''
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!
    const colon = line.indexOf(':')
    if (colon <= 0) continue
    const name = line.slice(0, colon).trim().toLowerCase()
    const value = line.slice(colon + 1).trim()
    if (name === 'content-length') {
      if (contentLength !== undefined || !/^\d{1,9}$/.test(value)) return undefined
      contentLength = Number(value)
    } else if (name === 'transfer-encoding' || name === 'upgrade') return undefined
    else if (name === 'signature-input') signatureInput = value
  }
  return { method, target, signatureInput, contentLength: contentLength ?? 0 }
}

export type LinkProxyOptions = {
  /** Gets every answered exchange of an operation of the contracts (omit when the runner sees the traffic elsewhere). */
  observe?: (exchange: ObservedExchange) => void
}

export class LinkProxy {
  #upstream = ''
  #server: Server | undefined
  #url = ''
  readonly #agent = new Agent({ keepAlive: true })
  readonly #faults: LinkFault[] = []
  readonly #held = new Set<Held>()
  readonly #waiters = new Set<() => void>()
  readonly #sockets = new Set<Socket>()
  readonly #observe: ((exchange: ObservedExchange) => void) | undefined
  #http: HttpServer | undefined
  /** The fault a handed-over connection's first request already matched (counted once). */
  readonly #matched = new WeakMap<Socket, LinkFault>()

  constructor (options: LinkProxyOptions = {}) {
    this.#observe = options.observe
  }

  /** Its base URL, the role's public one (empty until listen). */
  get url (): string { return this.#url }

  /** Where the role really listens; set once the role has started (again). */
  set upstream (url: string) { this.#upstream = url.replace(/\/$/, '') }
  get upstream (): string { return this.#upstream }

  /** Listens on a free loopback port (or `port`, to keep an address across a restart). */
  async listen (port = 0): Promise<string> {
    // Not listening itself: it is given the connections handed over (#handOver).
    this.#http = createServer((req, res) => { this.#handle(req, res) })
    this.#http.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => { this.#tunnel(req, socket, head) })
    // Without Nagle's delay, as HTTP's own sockets: a head and its body go as written.
    const server = createNetServer({ noDelay: true }, (socket) => {
      this.#track(socket)
      // A proxy that records sees every exchange whole: HTTP from the first byte.
      if (this.#observe !== undefined) this.#handOver(socket, Buffer.alloc(0))
      else this.#passThrough(socket)
    })
    await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(port, '127.0.0.1', () => resolve()) })
    const address = server.address()
    if (address === null || typeof address === 'string') throw new Error('the proxy has no TCP address')
    this.#server = server
    this.#url = `http://127.0.0.1:${address.port}`
    return this.#url
  }

  /** Adds a fault; checked per request, so kept-alive connections are cut as well as new ones. */
  add (fault: LinkFault): void {
    if (!(LINK_FAULTS as readonly string[]).includes(fault.kind)) throw new Error(`unknown link fault ${String(fault.kind)}; known: ${LINK_FAULTS.join(', ')}`)
    if (fault.kind === 'delay' && !(Number.isFinite(fault.ms) && fault.ms! >= 0)) throw new Error('a delay needs ms, a number of milliseconds ≥ 0')
    if (fault.count !== undefined && !(Number.isInteger(fault.count) && fault.count >= 1)) throw new Error('count must be a whole number ≥ 1')
    this.#faults.push({ ...fault })
  }

  /** How many requests or answers are held now. */
  get holding (): number { return this.#held.size }

  /**
   * Ends every fault (of `owner` only, when given): held requests go on, held answers are given,
   * blackholed connections are dropped.
   */
  heal (owner?: string): void {
    const mine = (x: { owner?: string }): boolean => owner === undefined || x.owner === owner
    for (let i = this.#faults.length - 1; i >= 0; i--) if (mine(this.#faults[i]!)) this.#faults.splice(i, 1)
    const held = [...this.#held].filter(mine)
    for (const h of held) this.#held.delete(h)
    for (const h of held) h.release()
  }

  /** Drops what is held (of `owner` only, when given): the callers' connections close unanswered. The faults stay. */
  drop (owner?: string): void {
    const held = [...this.#held].filter((h) => owner === undefined || h.owner === owner)
    for (const h of held) this.#held.delete(h)
    for (const h of held) h.drop()
  }

  async close (): Promise<void> {
    this.#faults.length = 0
    for (const h of this.#held) h.drop()
    this.#held.clear()
    for (const socket of this.#sockets) socket.destroy()
    this.#agent.destroy()
    const server = this.#server
    this.#server = undefined
    if (server !== undefined) await new Promise<void>((resolve) => server.close(() => resolve()))
  }

  #match (keyId: string | undefined, operationId: string | undefined): LinkFault | undefined {
    // The latest fault that matches decides (a flow narrows or overrides an earlier one).
    const index = this.#faults.findLastIndex((f) => (f.from === undefined || f.from === keyId) && (f.operationIds === undefined || (operationId !== undefined && f.operationIds.includes(operationId))))
    const fault = this.#faults[index]
    if (fault?.count !== undefined && --fault.count <= 0) this.#faults.splice(index, 1)
    return fault
  }

  #hold (owner: string | undefined, release: () => void, drop: () => void): void {
    const held: Held = { release, drop, ...(owner === undefined ? {} : { owner }) }
    this.#held.add(held)
    for (const wake of this.#waiters) wake()
  }

  /** How many requests or answers are held now for `owner` (all, when none is given). */
  heldFor (owner?: string): number {
    return owner === undefined ? this.#held.size : [...this.#held].filter((h) => h.owner === owner).length
  }

  /** Resolves true once `count` requests or answers are held (for `owner`), false if not within timeoutMs. */
  async whenHolding (count: number, timeoutMs: number, owner?: string): Promise<boolean> {
    if (this.heldFor(owner) >= count) return true
    return await new Promise<boolean>((resolve) => {
      const done = (held: boolean): void => { clearTimeout(timer); this.#waiters.delete(wake); resolve(held) }
      const wake = (): void => { if (this.heldFor(owner) >= count) done(true) }
      const timer = setTimeout(() => done(false), timeoutMs)
      this.#waiters.add(wake)
    })
  }

  #handle (req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY) { req.socket.destroy(); return }
      chunks.push(chunk)
    })
    req.on('error', () => {})
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      const keyId = keyIdOf(req.headers)
      const operationId = operationOf(req.method ?? 'GET', req.url ?? '/')
      const matched = this.#matched.get(req.socket)
      this.#matched.delete(req.socket)
      const fault = matched ?? this.#match(keyId, operationId)
      const sentAt = Date.now()
      const forward = (holdAnswer: boolean): void => { this.#forward(req, res, body, { keyId, operationId, sentAt, holdAnswer, owner: fault?.owner }) }
      const drop = (): void => { req.socket.destroy() }
      switch (fault?.kind) {
        case 'partition': drop(); return
        case 'delay': { const timer = setTimeout(() => forward(false), fault.ms); res.once('close', () => clearTimeout(timer)); return }
        case 'hold': this.#hold(fault.owner, () => forward(false), drop); return
        case 'blackhole': this.#hold(fault.owner, drop, drop); return
        case 'hold-answer': forward(true); return
        default: forward(false)
      }
    })
  }

  #track (socket: Socket): void {
    this.#sockets.add(socket)
    socket.once('close', () => this.#sockets.delete(socket))
  }

  /** Gives a connection, with the bytes of its next request read so far, to the HTTP server. */
  #handOver (socket: Socket, pending: Buffer, fault?: LinkFault): void {
    if (fault !== undefined) this.#matched.set(socket, fault)
    if (pending.length > 0) socket.unshift(pending)
    this.#http!.emit('connection', socket)
  }

  /**
   * Frames the connection's requests (head, then Content-Length bytes of body) and writes each on
   * to the role over a connection of its own, the role's answers back as they come — until a
   * request a fault matches, or one this framing leaves to HTTP, hands the connection over.
   */
  #passThrough (socket: Socket): void {
    let head: Buffer = Buffer.alloc(0)
    let bodyLeft = 0
    let upstream: Socket | undefined
    let upstreamUrl = ''
    const detach = (): void => {
      if (upstream === undefined) return
      upstream.removeAllListeners('close')
      upstream.unpipe(socket)
      upstream.destroy()
      upstream = undefined
    }
    const toRole = (): Socket | undefined => {
      if (upstream !== undefined && !upstream.destroyed && upstreamUrl === this.#upstream) return upstream
      detach()
      if (this.#upstream === '') return undefined
      const target = new URL(this.#upstream)
      const s = connect({ port: Number(target.port), host: target.hostname, noDelay: true })
      this.#track(s)
      // An unreachable or departed role: its peer sees the connection close, as without the proxy.
      s.on('error', () => { socket.destroy() })
      s.once('close', () => { socket.destroy() })
      s.pipe(socket)
      upstream = s
      upstreamUrl = this.#upstream
      return s
    }
    const onData = (chunk: Buffer): void => {
      let rest = chunk
      while (rest.length > 0) {
        if (bodyLeft > 0) {
          const n = Math.min(bodyLeft, rest.length)
          upstream?.write(rest.subarray(0, n))
          bodyLeft -= n
          rest = rest.subarray(n)
          continue
        }
        head = head.length === 0 ? rest : Buffer.concat([head, rest])
        rest = Buffer.alloc(0)
        const end = head.indexOf('\r\n\r\n')
        if (end < 0) {
          // A head this long is the HTTP server's to refuse.
          if (head.length > 16 * 1024) leave(head)
          return
        }
        const framed = frameHead(head.subarray(0, end + 4))
        const fault = framed === undefined || this.#faults.length === 0 ? undefined : this.#match(keyIdOf({ 'signature-input': framed.signatureInput }), operationOf(framed.method, framed.target))
        if (framed === undefined || fault !== undefined) { leave(head, fault); return }
        const role = toRole()
        if (role === undefined) { socket.destroy(); return }
        role.write(head.subarray(0, end + 4))
        bodyLeft = framed.contentLength
        rest = head.subarray(end + 4)
        head = Buffer.alloc(0)
      }
    }
    const onEnd = (): void => { upstream?.end() }
    const onClose = (): void => { upstream?.destroy() }
    /** Ends the pass-through (nothing in flight: see above) and hands the connection over. */
    const leave = (pending: Buffer, fault?: LinkFault): void => {
      socket.off('data', onData).off('end', onEnd).off('close', onClose)
      detach()
      this.#handOver(socket, pending, fault)
    }
    socket.on('data', onData).on('end', onEnd).on('close', onClose)
    socket.on('error', () => {})
  }

  /**
   * A WebSocket handshake (the client stream, GET /client/stream) goes on to the role as it came,
   * and the connection is then the two sockets joined: what a client stream carries is frames
   * between a client and its region, which no link fault acts on.
   */
  #tunnel (req: IncomingMessage, socket: Socket, head: Buffer): void {
    if (this.#upstream === '') { socket.destroy(); return }
    const target = new URL(this.#upstream)
    const upstream = connect({ port: Number(target.port), host: target.hostname, noDelay: true })
    this.#sockets.add(upstream)
    upstream.once('close', () => { this.#sockets.delete(upstream); socket.destroy() })
    socket.once('close', () => { upstream.destroy() })
    upstream.on('error', () => { socket.destroy() })
    socket.on('error', () => { upstream.destroy() })
    const lines = [`${req.method ?? 'GET'} ${req.url ?? '/'} HTTP/1.1`]
    for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]!}: ${req.rawHeaders[i + 1]!}`)
    upstream.write(lines.join('\r\n') + '\r\n\r\n')
    if (head.length > 0) upstream.write(head)
    upstream.pipe(socket)
    socket.pipe(upstream)
  }

  #forward (req: IncomingMessage, res: ServerResponse, body: Buffer, at: { keyId?: string, operationId?: string, sentAt: number, holdAnswer: boolean, owner?: string }): void {
    if (this.#upstream === '') { req.socket.destroy(); return }
    const target = new URL(this.#upstream + (req.url ?? '/'))
    const upstream = httpRequest(target, { method: req.method, headers: endToEnd(req.headers), agent: this.#agent }, (answer) => {
      const give = (): void => {
        // The caller gave up meanwhile (its own timeout): nobody to answer.
        if (res.destroyed || res.writableEnded) { answer.destroy(); return }
        res.writeHead(answer.statusCode ?? 502, endToEnd(answer.headers))
        const kept: Buffer[] = []
        answer.on('data', (chunk: Buffer) => { if (this.#observe !== undefined) kept.push(chunk); res.write(chunk) })
        answer.on('end', () => {
          res.end()
          if (this.#observe === undefined || at.operationId === undefined) return
          this.#observe({
            operationId: at.operationId,
            method: (req.method ?? 'GET').toUpperCase(),
            url: this.#url + (req.url ?? '/'),
            ...(at.keyId === undefined ? {} : { keyId: at.keyId }),
            requestBody: parsed(body),
            status: answer.statusCode ?? 0,
            responseBody: parsed(Buffer.concat(kept)),
            responseContentType: answer.headers['content-type'],
            sentAt: at.sentAt,
            at: Date.now()
          })
        })
        answer.on('error', () => { res.destroy() })
        // A held answer was paused explicitly; a 'data' listener alone does not start it again.
        answer.resume()
      }
      if (!at.holdAnswer) { give(); return }
      // The answer waits, whole, for the release: the role has acted; its peer does not know yet.
      answer.pause()
      this.#hold(at.owner, give, () => { answer.destroy(); req.socket.destroy() })
    })
    // An unreachable role: its peer sees the connection close without an answer, as it would without the proxy.
    upstream.on('error', () => { req.socket.destroy() })
    res.once('close', () => { if (!res.writableFinished) upstream.destroy() })
    upstream.end(body)
  }
}
