// Whose behaviour a check judges (issue 14, per-role results). A check is attributed to the
// role its requirement binds (read from the sentence, requirement-roles.ts) and, where several
// roles of that kind take part, to the actor the check observes: the region whose client got
// the event, the role that answered the step's request, the sender of an exchange. Then: is
// that actor the target's, or one the runner plays itself (the user server of a regions-only
// target, a region or gateway a flow marks `simulated`, the clients)? Only the target's checks
// count as its passes; the runner's own are reported apart.
import { allOperations } from '../../reference/lib/contract/operations.ts'
import type { Expectation, Flow, Step } from '../../spec/flows/schema.ts'
import { requirementRole, type RoleKind } from './requirement-roles.ts'

export type PlayedBy = 'target' | 'runner'

/** A row of the role × chapter table. */
export type RoleLabel = 'user server' | 'region' | 'client interface' | 'gateway' | 'client' | 'unknown'

export type Attribution = {
  role: RoleLabel
  playedBy: PlayedBy
  actor?: string
  /**
   * Of a target's check, the requirements that bind a role the runner plays (a user-server rule
   * seen in a region's answer, against regions only): the check judges the target, but these
   * requirements are not the target's to pass.
   */
  runnerRequirements?: string[]
}

export type AttributionScope = {
  /** The steps, where known, name the request an `await` step takes the answer of. */
  flow: Pick<Flow, 'actors'> & Partial<Pick<Flow, 'steps'>>
  /** The runner plays the user server (a regions-only target): it is not under test. */
  playsUserServer: boolean
}

const US = 'US'
const RUNNER_ACTIONS = new Set(['killRegion', 'stopRegion', 'reviveRegion', 'restartUserServer', 'wait-idle'])

let documents: Map<string, string> | undefined
/** The OpenAPI document an operation belongs to (user-server, region, client, admin, gateway). */
function documentOf (operationId: string): string | undefined {
  documents ??= new Map([...allOperations().values()].map((op) => [op.operationId, op.document]))
  return documents.get(operationId)
}

function gatewayActor (scope: AttributionScope): string | undefined {
  return Object.entries(scope.flow.actors).find(([, a]) => a.kind === 'gateway' && a.simulated !== true)?.[0] ??
    Object.entries(scope.flow.actors).find(([, a]) => a.kind === 'gateway')?.[0]
}

/** Where a user's client is served: its region, or for an XMPP user the gateway. */
function hostOf (scope: AttributionScope, user: string): string | undefined {
  const a = scope.flow.actors[user]
  if (a === undefined) return undefined
  if (a.kind !== 'user' && a.kind !== 'xmpp-user') return user
  const at = a.at === undefined ? undefined : scope.flow.actors[a.at]
  if (at?.kind === 'region' || at?.kind === 'gateway') return a.at
  return gatewayActor(scope)
}

/** The role that answered the step's `do`. */
function answererOf (scope: AttributionScope, step: Step): string | undefined {
  const d = step.do
  if (d === undefined) return undefined
  if ('send' in d) return gatewayActor(scope)
  const args = d.args ?? {}
  // A burst is answered by whoever answers the operation it repeats.
  if (d.call === 'burst' && typeof args.operation === 'string') {
    return answererOf(scope, { ...step, do: { call: args.operation, ...(d.as === undefined ? {} : { as: d.as }), args: (args.args ?? {}) as Record<string, unknown> } })
  }
  // Concurrent steps: an awaited answer is the answer of the step that started the request.
  if (d.call === 'await') {
    const starter = scope.flow.steps?.find((s) => s.do !== undefined && 'call' in s.do && s.do.start !== undefined && s.do.start === args.started)
    return starter === undefined ? undefined : answererOf(scope, starter)
  }
  for (const key of ['to', 'at']) {
    const name = args[key]
    if (typeof name === 'string' && scope.flow.actors[name] !== undefined) return name
  }
  // probe-slow-clients judges several roles at once: the check is the first target's it holds.
  if (Array.isArray(args.roles)) {
    const roles = args.roles.filter((r): r is string => typeof r === 'string')
    const runners = (r: string): boolean => r === US ? scope.playsUserServer : scope.flow.actors[r]?.simulated === true
    return roles.find((r) => !runners(r)) ?? roles[0]
  }
  if (RUNNER_ACTIONS.has(d.call)) return undefined
  if (d.as !== undefined && scope.flow.actors[d.as]?.kind === 'xmpp-user') return gatewayActor(scope)
  const doc = documentOf(d.call)
  if (doc === 'client') return d.as === undefined ? undefined : hostOf(scope, d.as)
  if (doc === 'gateway') return gatewayActor(scope)
  if (doc === 'user-server' || doc === 'admin') return US
  return undefined
}

/** The actor whose answer, event, stanza or request the expectation observes. */
export function observedActor (scope: AttributionScope, step: Step, expect: Expectation | undefined): string | undefined {
  switch (expect?.kind) {
    case 'event':
    case 'no-event': return hostOf(scope, expect.for)
    case 'stanza':
    case 'no-stanza':
    case 'stream-error': return gatewayActor(scope)
    case 'state': return US
    case 'exchange': return expect.from
    case 'traffic': return expect.of
    case 'response': return answererOf(scope, step)
    default: return answererOf(scope, step) ?? (scope.flow.actors[step.actor] === undefined ? undefined : step.actor)
  }
}

function kindOfActor (scope: AttributionScope, actor: string | undefined): RoleKind | undefined {
  if (actor === undefined) return undefined
  if (actor === US) return 'user-server'
  const a = scope.flow.actors[actor]
  switch (a?.kind) {
    case 'user-server': return 'user-server'
    case 'region': return 'region'
    case 'gateway': return 'gateway'
    case 'user':
    case 'xmpp-user': return 'client'
    default: return undefined
  }
}

function userServerActor (scope: AttributionScope): string {
  return Object.entries(scope.flow.actors).find(([, a]) => a.kind === 'user-server')?.[0] ?? US
}

/** The actor of `kind` the check judges: the observed one when it is of that kind, else the step's. */
function actorOfKind (scope: AttributionScope, kind: RoleKind, observed: string | undefined, step: Step): string | undefined {
  const fits = (name: string | undefined): boolean => {
    const k = kindOfActor(scope, name)
    // The gateway has a region's duties too (GRIDIM-ROLE-4).
    return k === kind || ((kind === 'region' || kind === 'client-interface') && (k === 'region' || k === 'gateway'))
  }
  if (kind === 'user-server') return userServerActor(scope)
  if (kind === 'gateway') return fits(observed) ? observed : gatewayActor(scope)
  // Seen elsewhere (a user's state at the user server): the region the step addressed, else its actor.
  return [observed, answererOf(scope, step), step.actor].find(fits)
}

function playedByOf (scope: AttributionScope, kind: RoleKind, actor: string | undefined): PlayedBy {
  if (kind === 'client') return 'runner'
  if (kind === 'user-server') return scope.playsUserServer ? 'runner' : 'target'
  const a = actor === undefined ? undefined : scope.flow.actors[actor]
  if (a?.simulated === true) return 'runner'
  // A region rule no region of the flow shows: the target's, unless every region is the runner's.
  if (a === undefined) {
    const regions = Object.values(scope.flow.actors).filter((x) => x.kind === 'region' || x.kind === 'gateway')
    if (regions.length > 0 && regions.every((x) => x.simulated === true)) return 'runner'
  }
  return 'target'
}

function label (kind: RoleKind, actor: string | undefined, scope: AttributionScope): RoleLabel {
  if (kind === 'client-interface') return 'client interface'
  if (kind === 'region' && kindOfActor(scope, actor) === 'gateway') return 'gateway'
  if (kind === 'user-server') return 'user server'
  if (kind === 'any') return 'unknown'
  return kind
}

/**
 * The role a check of `step` with `requirements` and `expect` judges, and who plays it. Of
 * several requirements the first whose role the observed actor plays decides; failing that,
 * the first that names a role; rules of every role ("A receiver …") take the observed actor's.
 */
export function attribute (scope: AttributionScope, step: Step, requirements: readonly string[], expect?: Expectation): Attribution {
  const observed = observedActor(scope, step, expect)
  const observedKind = kindOfActor(scope, observed)
  const kinds = requirements.map(requirementRole)
  const concrete = kinds.filter((k) => k !== 'any')
  const matchesObserved = concrete.find((k) => k === observedKind || (observedKind === 'gateway' && k === 'region') ||
    (observedKind === 'region' && k === 'client-interface'))
  const seenByClient = expect?.kind === 'event' || expect?.kind === 'no-event'
  const fallback: RoleKind | undefined = observedKind === 'region' && seenByClient
    // A rule of every role seen in a client's events judges its region's client interface.
    ? 'client-interface'
    : observedKind
  const kind: RoleKind | undefined = matchesObserved ?? concrete[0] ?? fallback
  if (kind === undefined) return { role: 'unknown', playedBy: 'target', ...(observed === undefined ? {} : { actor: observed }) }
  const actor = actorOfKind(scope, kind, observed, step)
  const playedBy = playedByOf(scope, kind, actor)
  const runnerRequirements = playedBy === 'target'
    ? requirements.filter((id, i) => kinds[i] === 'client' || (kinds[i] === 'user-server' && scope.playsUserServer))
    : []
  return {
    role: label(kind, actor, scope),
    playedBy,
    ...(actor === undefined ? {} : { actor }),
    ...(runnerRequirements.length === 0 ? {} : { runnerRequirements })
  }
}

/** A check about a message an actor of the target sent or answered (GRIDIM-ROLE-9, stanza schemas). */
export function attributeActor (scope: AttributionScope, actor: string): Attribution {
  // Names outside the flow's actors come from the target (roles.ts): GW, or one of its regions.
  const kind = kindOfActor(scope, actor) ?? (actor === 'GW' ? 'gateway' : 'region')
  if (kind === 'client') return { role: 'unknown', playedBy: 'target', actor }
  return { role: label(kind, actor, scope), playedBy: playedByOf(scope, kind, actor), actor }
}
