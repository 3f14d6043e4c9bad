// A step's `do`: an operation of any GridIM interface, or a runner action. Client operations
// go as the user `as` (or with no credentials when `as` is absent); user-server and region
// operations as the simulated role `as` (or unsigned), to the role named by `to`; admin ones
// with the admin token. Flat arguments are split by the contract into path, query and header
// parameters; the rest is the JSON body. `method` sends the request at the operation's path with
// another method (HEAD for a GET, GRIDIM-ERR-14; one no operation has there, GRIDIM-ERR-13).
import { allOperations, type Operation } from '../../reference/lib/contract/operations.ts'
import type { AllOperations, SuccessBody } from '../../reference/lib/contract/types.ts'
import { buildUrl } from '../../reference/lib/http/index.ts'
import type { Step } from '../../spec/flows/schema.ts'
import { pathOf } from '../lib/caller.ts'
import { STREAM_OPERATIONS, type StreamOperationId } from '../lib/client-session.ts'
import { readSse } from '../lib/sse.ts'
import type { FlowContext } from './flow-context.ts'
import { PAYLOAD_SPOILS, peerCall, SIGNATURE_MODES, type PayloadSpoil, type PeerRequest, type PeerSigner, type SignatureMode } from './peer-call.ts'
import { readAnswers } from './scripted-answers.ts'
import { BEARER_SPOILS, spoilBearer, type BearerSpoil } from './spoil-bearer.ts'
import { BOSH_BODY_SPOILS, probeBosh, type BoshBodySpoil } from './bosh-probe.ts'
import { DEFAULT_PAGE_ORIGINS, fromPage, PAGE_REQUESTS, type PageRequest } from './browser-page.ts'
import { burst, burstShape } from './burst.ts'
import { probeSlowClients } from './slow-clients.ts'
import { HANDSHAKES, handshakeHeaders, openWebSocket, type Handshake } from './websocket-probe.ts'
import { jabberServerAction, restartGatewayAction } from './jabber-actions.ts'
import { isLinkAction, linkAction } from './link-actions.ts'
import { isStreamAction, streamAction } from './stream-actions.ts'
import { resolveValue } from './vars.ts'

type TeleportAnswer = SuccessBody<AllOperations['clientTeleport']>

/**
 * `answeredAt`: when the answer arrived, for a request a step started and a later one awaited;
 * `retryAfter`: the answer's Retry-After header (GRIDIM-LIM-12).
 */
export type ActionResult = { status: number, body: unknown, contentType?: string, answeredAt?: number, retryAfter?: string, viaStream?: boolean }

let operations: Map<string, Operation> | undefined

function split (op: Operation, args: Record<string, unknown>): PeerRequest {
  const req: PeerRequest = { params: {}, query: {}, headers: {} }
  const body: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(args)) {
    if (op.params.path.some((p) => p.name === k)) req.params[k] = String(v)
    else if (op.params.query.some((p) => p.name === k)) req.query[k] = String(v)
    else if (op.params.header.some((p) => p.name.toLowerCase() === k.toLowerCase())) req.headers[k] = String(v)
    else body[k] = v
  }
  if (op.requestBody || op.requestContentType) req.body = body
  return req
}

async function runnerAction (ctx: FlowContext, call: string, args: Record<string, unknown>, as?: string): Promise<ActionResult> {
  const { target } = ctx
  switch (call) {
    case 'killRegion':
    case 'stopRegion': {
      // A crash, or an orderly shutdown, the operator's act (GRIDIM-LEASE-13); either is revived the same way.
      const name = String(args.region)
      const region = ctx.regions.get(name)
      const stop = call === 'killRegion' ? target.killRegion : target.stopRegion
      if (!region || !stop) throw new Error(`this target cannot ${call === 'killRegion' ? 'kill' : 'stop'} a region`)
      await stop.call(target, region.index)
      ctx.killed.add(region.index)
      ctx.record({ kind: 'runner', operationId: call, from: 'runner', to: name })
      return { status: 200, body: undefined }
    }
    case 'reviveRegion': {
      // The same region started again after killRegion: same identity, address and stored state.
      const name = String(args.region)
      const region = ctx.regions.get(name)
      if (!region || !target.reviveRegion || !ctx.killed.has(region.index)) throw new Error(`reviveRegion needs a region this flow killed, got ${name}`)
      await target.reviveRegion(region.index)
      ctx.killed.delete(region.index)
      ctx.record({ kind: 'runner', operationId: 'reviveRegion', from: 'runner', to: name })
      return { status: 200, body: undefined }
    }
    case 'restartUserServer': {
      if (!target.restartUserServer) throw new Error('this target cannot restart its user server')
      // `downSeconds`: how long it stays down (bounded), so that a flow can let leases lapse.
      await target.restartUserServer(Math.min(30, Math.max(0, Number(args.downSeconds ?? 0))) * 1000)
      ctx.record({ kind: 'runner', operationId: 'restartUserServer', from: 'runner', to: 'US' })
      return { status: 200, body: undefined }
    }
    case 'wait-idle': {
      // Time passing is what these steps test (idle timeouts, lease renewal): bounded, on purpose.
      const seconds = Math.min(30, Math.max(0, Number(args.seconds ?? 0)))
      await new Promise((resolve) => setTimeout(resolve, seconds * 1000))
      return { status: 200, body: undefined }
    }
    case 'probe-slow-clients': {
      // GRIDIM-LIM-17, GRIDIM-LIM-19: every role named, probed at once (the probes wait on timers).
      const roles = (Array.isArray(args.roles) ? args.roles : [args.roles]).map(String)
      // At the role itself, not at a proxy of the runner in front of it.
      const direct = (role: string): string => target.links?.directUrl(ctx.urlOf(role)) ?? ctx.urlOf(role)
      const probes = await Promise.all(roles.map(async (role) => [role, await probeSlowClients(direct(role))] as const))
      ctx.record({ kind: 'runner', operationId: 'probe-slow-clients', from: 'runner', to: roles.join(',') })
      return { status: 200, body: Object.fromEntries(probes) }
    }
    case 'post-bosh-body': {
      // GRIDIM-LIM-11, GRIDIM-XMPP-11, -43, -45, GRIDIM-ERR-11: a BOSH body the gateway must refuse the BOSH way.
      const spoil = String(args.body)
      if (!(BOSH_BODY_SPOILS as readonly string[]).includes(spoil)) throw new Error(`unknown BOSH body ${spoil}`)
      const gateway = String(args.to ?? 'GW')
      if (target.gateway === undefined) throw new Error('this target has no gateway')
      const result = await probeBosh(ctx.urlOf(gateway), spoil as BoshBodySpoil, target.gateway.domain)
      ctx.record({ kind: 'runner', operationId: 'post-bosh-body', from: 'runner', to: gateway, status: result.status })
      return result
    }
    case 'bosh-from-page': {
      // GRIDIM-XMPP-56, -57: what a browser page from another origin meets.
      const kind = String(args.request)
      const which = String(args.origin)
      if (!(PAGE_REQUESTS as readonly string[]).includes(kind)) throw new Error(`unknown page request ${kind}`)
      if (which !== 'allowed' && which !== 'refused') throw new Error(`origin is allowed or refused, got ${which}`)
      const gateway = String(args.to ?? 'GW')
      if (target.gateway === undefined) throw new Error('this target has no gateway')
      const origin = (target.gateway.pageOrigins ?? DEFAULT_PAGE_ORIGINS)[which]
      const result = await fromPage(ctx.urlOf(gateway), target.gateway.domain, kind as PageRequest, origin)
      ctx.record({ kind: 'runner', operationId: 'bosh-from-page', from: 'runner', to: gateway, status: result.status })
      return result
    }
    case 'open-websocket': {
      // GRIDIM-XMPP-6, GRIDIM-ERR-12: a WebSocket handshake, valid or not, and the gateway's answer.
      const handshake = String(args.handshake ?? 'valid')
      if (!(HANDSHAKES as readonly string[]).includes(handshake)) throw new Error(`unknown WebSocket handshake ${handshake}`)
      const gateway = String(args.to ?? 'GW')
      const result = await openWebSocket(ctx.urlOf(gateway), handshakeHeaders(handshake as Handshake))
      ctx.record({ kind: 'runner', operationId: 'open-websocket', from: 'runner', to: gateway, status: result.status })
      return result
    }
    case 'keep-lease': {
      // A region the runner plays that hosts a user keeps its lease, as a live region does (GRIDIM-LEASE-3).
      const name = String(args.region)
      const sim = ctx.simulated.get(name)
      if (sim === undefined) throw new Error(`keep-lease needs a region the runner plays, got ${name}`)
      const op = operations!.get('renewRegionLease')!
      const url = ctx.target.userServerUrl
      const lease = { regionId: sim.regionId, url: sim.url, kind: sim.kind, name: String(args.name ?? sim.name) }
      const first = await sim.keepLease(async () => {
        const result = await peerCall(url, op, split(op, lease), sim, 'valid')
        ctx.contract.answered(op.operationId, url, result)
        const granted = (result.body as { leaseSeconds?: unknown } | undefined)?.leaseSeconds
        return { ...result, ...(result.status === 200 && typeof granted === 'number' ? { leaseSeconds: granted } : {}) }
      })
      ctx.record({ kind: 'peer', operationId: 'renewRegionLease', from: name, to: 'US', status: first.status, request: lease, response: first.body })
      return { status: first.status, body: first.body }
    }
    case 'burst': {
      // GRIDIM-LIM-12, -13: one operation sent `count` times at `perSecond`, as the step's `as`, with `args.args`.
      const { count, perSecond } = burstShape(args)
      const operation = String(args.operation)
      if (!operations?.has(operation)) throw new Error(`burst needs an operation of the contracts, got ${operation}`)
      const members = (args.args ?? {}) as Record<string, unknown>
      ctx.record({ kind: 'runner', operationId: 'burst', from: as ?? 'runner', to: String(members.to ?? members.at ?? ''), request: { operation, count, perSecond } })
      return await burst(count, perSecond, async () => await perform(ctx, { call: operation, ...(as === undefined ? {} : { as }), args: members }))
    }
    case 'await':
      // Concurrent steps: the answer of a request an earlier step started (concurrent.ts).
      return await ctx.started.await(String(args.started))
    case 'region-answers': {
      // Issue 14: a peer that fails once and recovers, answers a 5xx, or a code the spec does not define.
      const name = String(args.region)
      const sim = ctx.simulated.get(name)
      if (sim === undefined) throw new Error(`region-answers needs a region the runner plays, got ${name}`)
      const operationId = String(args.operation)
      if (operations?.get(operationId)?.document !== 'region') throw new Error(`region-answers needs a region operation, got ${operationId}`)
      sim.script.set(operationId, readAnswers(operationId, args.answers))
      ctx.record({ kind: 'runner', operationId: 'region-answers', from: 'runner', to: name })
      return { status: 200, body: undefined }
    }
    case 'jabber-server':
      return await jabberServerAction(ctx, args)
    case 'restart-gateway':
      return await restartGatewayAction(ctx, args)
    default:
      if (isLinkAction(call)) return linkAction(ctx, call, args)
      if (isStreamAction(call)) return await streamAction(ctx, call, args, as)
      throw new Error(`unknown runner action ${call}`)
  }
}

/** The user server's voice (capability sign-as-user-server), when `as` names the flow's user server. */
function userServerVoice (ctx: FlowContext, as: string): PeerSigner | undefined {
  const key = ctx.target.userServerKey
  if (key === undefined || ctx.flow.actors[as]?.kind !== 'user-server') return undefined
  return { regionId: 'user-server', privateKey: key, nextPrivateKey: key }
}

/** Whether `name` is a region of the target (a client call may be sent there with `at`). */
function isRegion (ctx: FlowContext, name: unknown): name is string {
  return typeof name === 'string' && ctx.regions.has(name)
}

/**
 * Where a client call goes: the region `at` when the step names one — with a session, the region
 * it left, still serving its log for a while (GRIDIM-CLI-21) — else the session's region, or with
 * no session the user's.
 */
function clientBaseUrl (ctx: FlowContext, as: string | undefined, at: unknown): string {
  if (isRegion(ctx, at)) return ctx.urlOf(at)
  const session = as === undefined ? undefined : ctx.sessions.get(as)
  return session?.regionUrl ?? ctx.regionUrlOf(String(at ?? as ?? ''))
}

/**
 * A step's `method`: the operation's path asked with another method. The answer is then not the
 * operation's, so the contract ledger does not judge it by the operation's responses.
 */
function otherMethod (value: unknown): string | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'string' || !/^[A-Z]+$/.test(value)) throw new Error(`method must be an HTTP method in capitals, got ${JSON.stringify(value)}`)
  return value
}

function isStreamOperation (operationId: string): operationId is StreamOperationId {
  return Object.hasOwn(STREAM_OPERATIONS, operationId)
}

/**
 * Whether a step's client call goes on the session's client stream: an operation the stream
 * carries, made plainly as the session's user — a body the contract accepts, the session's own
 * secret at its own region. A step that spoils the request the HTTP way (another method, a
 * payload, a bearer, no or a wrong secret, a body the contract refuses, another region) tests the
 * HTTP interface and stays there; the stream's own malformed frames have flows of their own.
 */
function carriedByStream (op: Operation, hasStream: boolean, req: PeerRequest, special: unknown[], mode: SignatureMode, payload?: PayloadSpoil, method?: string): boolean {
  if (!hasStream || !isStreamOperation(op.operationId)) return false
  if (special.some((v) => v !== undefined) || mode !== 'valid' || payload !== undefined || method !== undefined) return false
  if (Object.keys(req.headers).length > 0 || Object.keys(req.query).length > 0) return false
  return op.requestBody === undefined || op.requestBody(req.body)
}

async function clientCall (ctx: FlowContext, op: Operation, as: string | undefined, args: Record<string, unknown>, mode: SignatureMode, payload?: PayloadSpoil, method?: string): Promise<ActionResult> {
  if (op.operationId === 'clientLogin' && as !== undefined && Object.keys(args).length === 0) {
    const session = await ctx.signOn(as)
    return { status: 200, body: session.login }
  }
  // `at`, `bearer` and `spoilBearer` are not members: where a call without `as` goes, the secret
  // it carries, and how the runner spoils the secret of `as`'s session (a wrong secret, GRIDIM-CLI-2).
  const { at, bearer, spoilBearer: spoil, readSeconds, keepAliveWithin, ...members } = args
  if (spoil !== undefined && !(BEARER_SPOILS as readonly unknown[]).includes(spoil)) throw new Error(`unknown bearer spoil ${String(spoil)}`)
  const req = split(op, members)
  const session = as === undefined ? undefined : ctx.session(as)
  if (session !== undefined && carriedByStream(op, session.stream !== undefined, req, [at, bearer, spoil, readSeconds, keepAliveWithin], mode, payload, method)) {
    return { ...await session.viaStream(op.operationId as StreamOperationId, req.body), viaStream: true }
  }
  const baseUrl = clientBaseUrl(ctx, as, at)
  if (bearer !== undefined) req.headers.authorization = `Bearer ${String(bearer)}`
  else if (session && mode !== 'none') req.headers.authorization = `Bearer ${spoil === undefined ? session.login.sessionSecret : spoilBearer(spoil as BearerSpoil, session.login.sessionSecret)}`
  if (op.operationId === 'clientStreamEvents') {
    // `readSeconds`: read until the region closes the stream, or this long (at most 30 s), not
    // only until it goes quiet — a stream held open while other steps act (GRIDIM-CLI-15, -16).
    const holdMs = readSeconds === undefined ? undefined : Math.min(30, Math.max(0, Number(readSeconds))) * 1000
    const read = await readSse(buildUrl(baseUrl, op, req), req.headers, holdMs === undefined ? {} : { quietMs: holdMs, maxMs: holdMs })
    // `keepAliveWithin`: seconds; whether the stream never went quiet longer (GRIDIM-CLI-15).
    const keptAlive = keepAliveWithin === undefined ? {} : { keptAlive: read.longestQuietMs <= Number(keepAliveWithin) * 1000 }
    // `lastEventId`: the id field of the last event, which a reconnecting client sends as Last-Event-ID.
    const lastEventId = read.events.findLast((e) => e.id !== undefined)?.id
    return {
      status: read.status,
      body: read.body ?? { events: read.events.map((e) => e.data), ...(lastEventId === undefined ? {} : { lastEventId }), comments: read.comments, closed: read.closed, longestQuietMs: read.longestQuietMs, ...keptAlive },
      ...(read.contentType === undefined ? {} : { contentType: read.contentType })
    }
  }
  const result = await peerCall(baseUrl, op, req, undefined, 'none', payload, method)
  if (method !== undefined) return result
  ctx.contract.answered(op.operationId, baseUrl, result)
  if (result.status < 300 && session) {
    if (op.operationId === 'clientLogout') {
      ctx.sessions.delete(as!)
      // The client's side of the stream ends with the session; the region's closing it is judged by the stream's own flows.
      await session.close()
    }
    // An answer of a target under test, not validated here (the contract ledger judges it): read warily.
    const regionUrl = (result.body as Partial<Record<keyof TeleportAnswer, unknown>> | undefined)?.regionUrl
    if (op.operationId === 'clientTeleport' && typeof regionUrl === 'string') await session.moveTo(regionUrl)
  }
  return result
}

/**
 * Whether an action changes nothing (an operation of a safe method, RFC 9110 §9.2.1): such a
 * step cannot cause a stanza, so stanza expectations after it still look back past it.
 */
export function isSafe (action: NonNullable<Step['do']>): boolean {
  if ('send' in action) return false
  operations ??= allOperations()
  const method = operations.get(action.call)?.method
  return method === 'GET' || method === 'HEAD'
}

export async function perform (ctx: FlowContext, action: NonNullable<Step['do']>): Promise<ActionResult> {
  if ('send' in action) return await ctx.xmpp.send(action)
  // An xmpp-user signs on and off with its XMPP client, not with an operation.
  if (action.as !== undefined && ctx.flow.actors[action.as]?.kind === 'xmpp-user') {
    if (action.call === 'signOn') return await ctx.xmpp.signOn(action.as, { secondClient: action.args?.secondClient === true })
    if (action.call === 'signOff') return await ctx.xmpp.signOff(action.as)
  }
  const resolved = (resolveValue(action.args ?? {}, ctx.scope) ?? {}) as Record<string, unknown>
  const { to, signature = 'valid', payload: spoil, method: asked, ...args } = resolved
  const method = otherMethod(asked)
  if (!SIGNATURE_MODES.includes(signature as SignatureMode)) throw new Error(`unknown signature mode ${String(signature)}`)
  if (spoil !== undefined && !PAYLOAD_SPOILS.includes(spoil as PayloadSpoil)) throw new Error(`unknown payload spoil ${String(spoil)}`)
  const mode = signature as SignatureMode
  const payload = spoil as PayloadSpoil | undefined
  operations ??= allOperations()
  const op = operations.get(action.call)
  if (op === undefined) return await runnerAction(ctx, action.call, resolved, action.as)

  let result: ActionResult
  let from = action.as ?? 'runner'
  let toName: string
  // The request line, for the trace: method, and path with the query (issue 14).
  let line: { method?: string, path?: string } = { method: method ?? op.method }
  const lineAt = (baseUrl: string, members: Record<string, unknown>): void => {
    try { line = { method: method ?? op.method, path: pathOf(buildUrl(baseUrl, op, split(op, members))) } } catch {}
  }
  const judge = (baseUrl: string): void => { if (method === undefined) ctx.contract.answered(op.operationId, baseUrl, result) }
  if (op.document === 'client') {
    toName = isRegion(ctx, args.at) ? args.at : ctx.flow.actors[action.as ?? '']?.at ?? 'R1'
    const { at, bearer: _, ...members } = args
    try { lineAt(clientBaseUrl(ctx, action.as, at), members) } catch {}
    result = await clientCall(ctx, op, action.as, args, mode, payload, method)
    // Sent as a frame: the session's stream traced the request and its answer as frames.
    if (result.viaStream === true) return result
  } else if (op.document === 'admin') {
    toName = 'US'
    lineAt(ctx.target.userServerUrl, args)
    const req = split(op, args)
    if (mode !== 'none') req.headers.authorization = `Bearer ${ctx.target.adminToken}`
    result = await peerCall(ctx.target.userServerUrl, op, req, undefined, 'none', payload, method)
    judge(ctx.target.userServerUrl)
  } else {
    toName = op.document === 'user-server' ? 'US' : String(to ?? 'R1')
    const sim = action.as === undefined ? undefined : ctx.simulated.get(action.as) ?? userServerVoice(ctx, action.as)
    if (action.as !== undefined && sim === undefined) throw new Error(`${action.as} is not a role the runner plays; mark it simulated (or, for the user server, the target must let the runner sign as it)`)
    from = action.as ?? 'runner'
    lineAt(ctx.urlOf(toName), args)
    result = await peerCall(ctx.urlOf(toName), op, split(op, args), sim, mode, payload, method)
    judge(ctx.urlOf(toName))
  }
  ctx.record({ kind: op.document === 'client' ? 'client' : op.document === 'admin' ? 'admin' : 'peer', operationId: op.operationId, from, to: toName, ...line, status: result.status, request: args, response: result.body })
  return result
}
