// CORS for /http-bind (GRIDIM-XMPP-56; the Fetch standard's "CORS protocol",
// https://fetch.spec.whatwg.org/#http-cors-protocol): a BOSH client in a page served from
// another origin posts `text/xml`, not a CORS-safelisted Content-Type, so the browser first sends
// a preflight `OPTIONS` and lets the page read the answers only when they carry
// `Access-Control-Allow-Origin` for its origin. XEP-0124 names browser-based clients among its
// design requirements (§2) and lets responses carry HTTP headers it does not specify (§5), but
// says nothing of CORS; which origins may is the operator's choice (GRIDIM-XMPP-57).
import type { Request, ResponseObject, ResponseToolkit, Server } from '@hapi/hapi'
import { GridImError } from '../../lib/errors/index.ts'
import type { OriginDecision, OriginPolicy } from '../origin/index.ts'

/** Seconds a browser may cache the preflight answer (Chromium caps at 7200, Firefox at 86 400). */
export const PREFLIGHT_MAX_AGE = 7200
export const ALLOW_METHODS = 'POST, OPTIONS'
export const ALLOW_HEADERS = 'Content-Type'

function decisionFor (policy: OriginPolicy, request: Request): OriginDecision {
  const origin = request.headers.origin
  const host = request.headers.host
  return policy.decide(typeof origin === 'string' ? origin : undefined, typeof host === 'string' ? host : undefined)
}

/** Answers preflights at `path`, refuses requests from origins not allowed, and labels every answer. */
export function registerCors (server: Server, path: string, policy: OriginPolicy): void {
  server.route({
    method: 'OPTIONS',
    path,
    options: {
      id: 'boshPreflight',
      handler: (request, h) => preflight(decisionFor(policy, request), request, h)
    }
  })
  // Every answer at `path` — BOSH bodies, terminate bodies, problem details (429, 5xx) — names
  // the allowed origin, so that the page can read it, and says it varies by Origin (Fetch, "CORS
  // protocol and HTTP caches").
  server.ext('onPreResponse', (request, h) => {
    if (request.path !== path) return h.continue
    const decision = decisionFor(policy, request)
    const response = request.response
    const headers: Record<string, string> = { vary: 'Origin' }
    if (decision.allowed && decision.allowOrigin !== undefined) headers['access-control-allow-origin'] = decision.allowOrigin
    if ('isBoom' in response && response.isBoom) Object.assign(response.output.headers, headers)
    else for (const [name, value] of Object.entries(headers)) (response as ResponseObject).header(name, value, { append: name === 'vary' })
    return h.continue
  })
}

/** GRIDIM-XMPP-57: the answer to a request from a page whose origin is refused, or undefined when it may go on. */
export function refusedOrigin (policy: OriginPolicy, request: Request, h: ResponseToolkit): ResponseObject | undefined {
  return decisionFor(policy, request).allowed ? undefined : forbidden(request, h)
}

function forbidden (request: Request, h: ResponseToolkit): ResponseObject {
  const problem = new GridImError('forbidden', `pages from ${String(request.headers.origin)} may not use this gateway's BOSH endpoint (GRIDIM-XMPP-57)`).toProblem(request.path)
  return h.response(problem).code(403).type('application/problem+json')
}

const TOKEN = "[A-Za-z0-9!#$%&'*+.^_`|~-]+"
const METHOD = new RegExp(`^${TOKEN}$`)
const HEADER_NAMES = new RegExp(`^[ \\t]*${TOKEN}([ \\t]*,[ \\t]*${TOKEN})*[ \\t]*$`)

/** Bad input gets a clear error: a preflight header that is no method token or header-name list. */
function malformedRequestHeader (request: Request): string | undefined {
  const method = request.headers['access-control-request-method']
  if (method !== undefined && !METHOD.test(String(method))) return 'Access-Control-Request-Method'
  const names = request.headers['access-control-request-headers']
  if (names !== undefined && !HEADER_NAMES.test(String(names))) return 'Access-Control-Request-Headers'
  return undefined
}

/**
 * The preflight answer: 204 with the allow headers for an allowed origin; for a refused one 403
 * and none of them: Fetch, "HTTP responses" (#http-responses), lets a server denote a refusal
 * explicitly with 403 and the CORS headers left out; the preflight then fails in the browser.
 */
function preflight (decision: OriginDecision, request: Request, h: ResponseToolkit) {
  const malformed = malformedRequestHeader(request)
  if (malformed !== undefined) {
    const problem = new GridImError('invalid-request', `${malformed} is not what the Fetch standard sends: a method token, or a list of header names`).toProblem(request.path)
    return h.response(problem).code(400).type('application/problem+json')
  }
  if (!decision.allowed) return forbidden(request, h)
  return h.response().code(204)
    .header('allow', ALLOW_METHODS)
    .header('access-control-allow-methods', ALLOW_METHODS)
    .header('access-control-allow-headers', ALLOW_HEADERS)
    .header('access-control-max-age', String(PREFLIGHT_MAX_AGE))
}
