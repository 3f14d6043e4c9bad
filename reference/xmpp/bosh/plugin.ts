// XEP-0124/XEP-0206 at POST /http-bind as a hapi plugin (GRIDIM-XMPP-6): options checked at
// registration, then one route. Every BOSH problem is answered the BOSH way, HTTP 200 with a
// terminate body (XEP-0124 §17.2).
import type { Plugin, Request, ResponseToolkit, Server } from '@hapi/hapi'
import type { Readable } from 'node:stream'
import type { Element } from 'ltx'
import { NO_FAULTS, type Fault } from '../../lib/faults.ts'
import { OWN_BODY_LIMIT } from '../../lib/http/create-server.ts'
import type { C2sServer } from '../c2s/index.ts'
import { BODY_LIMITS, BoshError, readBody, readCount, readRid, terminateBody } from './body.ts'
import { BoshSession } from './bosh-session.ts'
import { refusedOrigin, registerCors } from './cors.ts'
import { OriginPolicy } from '../origin/index.ts'
import { readLimited } from './read-payload.ts'

export interface BoshOptions {
  c2s: C2sServer
  path?: string
  /** Longest a request is held, in seconds (XEP-0124 §7.1 'wait'); clients may ask for less. */
  maxWait?: number
  maxHold?: number
  inactivity?: number
  polling?: number
  /** GRIDIM-XMPP-8: whether these HTTP connections count as protected (TLS in front). */
  secure?: boolean
  /** GRIDIM-XMPP-56, -57: the pages that may use the endpoint from a browser; default none but same-origin. */
  origins?: OriginPolicy
  /** Deliberate bugs, only for conformance/variants (reference/lib/faults.ts). */
  faults?: ReadonlySet<Fault>
}

const DEFAULTS = { path: '/http-bind', maxWait: 60, maxHold: 1, inactivity: 30, polling: 5, secure: false, faults: NO_FAULTS }

function checkOptions (options: BoshOptions): Required<BoshOptions> {
  if (options?.c2s === undefined) throw new TypeError('bosh plugin: the `c2s` option (a C2sServer) is required')
  if (options.origins !== undefined && !(options.origins instanceof OriginPolicy)) throw new TypeError('bosh plugin: option `origins` must be an OriginPolicy')
  const merged = { ...DEFAULTS, ...options, origins: options.origins ?? new OriginPolicy(), faults: options.faults ?? NO_FAULTS }
  for (const name of ['maxWait', 'maxHold', 'inactivity', 'polling'] as const) {
    if (!Number.isInteger(merged[name]) || merged[name] < 0) throw new TypeError(`bosh plugin: option \`${name}\` must be a non-negative integer`)
  }
  return merged
}

export class BoshEndpoint {
  readonly sessions = new Map<string, BoshSession>()

  constructor (private readonly options: Required<BoshOptions>) {}

  /** Handles one request body; resolves with the response body (possibly after holding it). */
  handle (text: string | BoshError, onAbort: (abandon: () => void) => void): Promise<Element> {
    return new Promise((resolve) => {
      try {
        if (text instanceof BoshError) throw text
        const body = this.parse(text)
        const sid = body.attrs.sid
        if (sid === undefined) return this.create(body, resolve)
        const session = typeof sid === 'string' ? this.sessions.get(sid) : undefined
        // The bosh-unknown-sid-bad-request fault: an unknown sid is lumped in with malformed bodies.
        if (session === undefined) throw new BoshError(this.options.faults.has('bosh-unknown-sid-bad-request') ? 'bad-request' : 'item-not-found', 'unknown sid (XEP-0124 §17.2)')
        const rid = readRid(body)
        onAbort(() => session.abandon(rid))
        session.request(rid, body, resolve)
      } catch (error) {
        if (!(error instanceof BoshError)) throw error
        resolve(terminateBody(error.condition, error.streamError))
      }
    })
  }

  /** Parses the body; on failure, a known session named in the raw text ends too (GRIDIM-XMPP-44). */
  private parse (text: string): Element {
    try {
      return readBody(text)
    } catch (error) {
      // The bosh-restricted-xml-as-bad-request fault: forbidden XML answered like any parse error.
      if (error instanceof BoshError && error.streamError !== undefined && this.options.faults.has('bosh-restricted-xml-as-bad-request')) throw new BoshError('bad-request', error.message)
      const sid = /\ssid=["']([^"']{1,64})["']/.exec(text)?.[1]
      const session = sid === undefined ? undefined : this.sessions.get(sid)
      if (session !== undefined && error instanceof BoshError) session.terminate(() => {}, error)
      throw error
    }
  }

  /** XEP-0124 §7.1–§7.2, XEP-0206 §4: a new session and the stream it carries. */
  private create (body: Element, respond: (el: Element) => void): void {
    const { c2s, maxWait, maxHold, inactivity, polling, secure } = this.options
    const rid = readRid(body)
    const wait = Math.min(readCount(body, 'wait') ?? maxWait, maxWait)
    const hold = Math.min(readCount(body, 'hold') ?? maxHold, maxHold)
    if (body.attrs.to !== undefined && body.attrs.to !== c2s.domain) throw new BoshError('host-unknown', `this gateway is ${c2s.domain}`)
    const session = new BoshSession({ wait, hold, inactivity, polling, domain: c2s.domain, secure }, rid, (gone) => {
      this.sessions.delete(gone.sid)
      c2s.release(gone.c2s)
    })
    session.c2s = c2s.createSession(session)
    this.sessions.set(session.sid, session)
    session.create(respond, { to: c2s.domain, ...(typeof body.attrs['xml:lang'] === 'string' ? { lang: body.attrs['xml:lang'] } : {}) })
  }
}

async function route (endpoint: BoshEndpoint, request: Request, h: ResponseToolkit, origins: OriginPolicy | undefined): Promise<unknown> {
  // GRIDIM-XMPP-57: a page from an origin not allowed changes nothing (refused before reading).
  const refused = origins === undefined ? undefined : refusedOrigin(origins, request, h)
  if (refused !== undefined) return refused
  const text = await readLimited(request.payload as Readable, BODY_LIMITS.maxBytes)
  const res = request.raw.res
  const body = await endpoint.handle(text, (abandon) => res.once('close', () => { if (!res.writableFinished) abandon() }))
  return h.response(body.toString()).type('text/xml; charset=utf-8')
}

export const boshPlugin: Plugin<BoshOptions> = {
  name: 'gridim-xmpp-bosh',
  register (server: Server, rawOptions: BoshOptions) {
    const options = checkOptions(rawOptions)
    const endpoint = new BoshEndpoint(options)
    server.expose('endpoint', endpoint)
    // A stopped server's sessions end with it: none keeps an inactivity timer (and the process) alive.
    server.ext('onPostStop', () => { for (const session of [...endpoint.sessions.values()]) session.close() })
    // The bosh-no-cors fault: no preflight answer and no CORS headers, as before GRIDIM-XMPP-56.
    const cors = !options.faults.has('bosh-no-cors')
    server.route({
      method: 'POST',
      path: options.path,
      options: {
        id: 'boshRequest',
        // Read here, up to the limit (read-payload.ts), so an oversized body is answered the BOSH way.
        payload: { output: 'stream', parse: false, maxBytes: Number.MAX_SAFE_INTEGER },
        // Not the 65 536 bytes of GRIDIM-LIM-3, and not a problem-details refusal: GRIDIM-LIM-11.
        app: { [OWN_BODY_LIMIT]: true },
        timeout: { server: false, socket: false },
        handler: (request, h) => route(endpoint, request, h, cors ? options.origins : undefined)
      }
    })
    if (cors) registerCors(server, options.path, options.origins)
  }
}
