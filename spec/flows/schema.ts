// The shape of a flow file (spec/flows/*.yaml): the seed's thirteen steps, its four assumptions
// and the behaviours users expect, written as data. A flow is documentation first; the `do` and
// `expect` members make it executable by the conformance runner, which interprets them.
import { Type, type Static } from '@sinclair/typebox'
import { iqSchemas, stanzaSchemas } from '../../openapi/stanzas/index.ts'

const Name = Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_-]*$', description: 'An actor name used in this flow, e.g. A, R1, gateway.' })
const RequirementId = Type.String({ pattern: '^GRIDIM-[A-Z]+-[0-9]+$' })
const OperationId = Type.String({ pattern: '^[a-z][A-Za-z0-9]*$', description: 'An operationId from openapi/*.yaml.' })
/**
 * A stanza schema of openapi/stanzas by its name (the <error/> element alone is not a stanza),
 * or an <iq/> one (openapi/stanzas/iq.ts): a client sends `disco-info-query` and observes the rest.
 */
const StanzaName = Type.Union(
  Object.keys({ ...stanzaSchemas, ...iqSchemas }).filter((name) => name !== 'stanza-error').map((name) => Type.Literal(name)),
  { description: 'A stanza or iq schema name from openapi/stanzas.' }
)

/**
 * Values may reference flow state: `$A.userId`, `$A.name`, `$A.password`, `$R1.regionId`,
 * `$last.messageId` (the last response), `$<save>.x` (a saved response), `$fresh.<name>` (a new
 * UUID per name and flow). With a gateway: `$A.jid` (a grid user's XMPP address, GRIDIM-ID-8, or a
 * foreign user's bare JID), `$GW.domain`, `$GW.regionId`, `$GW.url`; a foreign user's `$D.userId`
 * is derived from its JID (GRIDIM-ID-10) and its `$D.name` is that JID. In `do.args`, `to: <actor>` names the role a region-interface request
 * goes to, and `signature: none | foreign-key | unknown-key | stale | aged-30s | bad-digest |
 * replay | replay-later | next-key` spoils the request's signature on purpose (`stale`: `created` an hour ago,
 * outside every allowed replay window; `aged-30s`: 30 seconds ago, inside the default window;
 * `replay`: the identical request sent twice, at once; `replay-later`: the second 2 seconds
 * after the first, inside every allowed window; the answer is the second's), as do the ways a peer breaks GridIM's
 * profile of it: `sha-512-digest` (a Content-Digest with sha-512 only), `no-alg`, `no-nonce`,
 * `no-created`, `short-nonce` (one character), `long-nonce` (129 characters), `uncovered-digest` (a body whose digest the
 * signature does not cover) and `other-host` (signed for the same path on evil.example:1 and
 * sent with `Host: evil.example:1`). `payload: oversized` pads the JSON body (`{}` for an
 * operation without one, GET and DELETE too) with whitespace to 70 000 bytes; `payload:
 * invalid-utf8` sends each U+FFFD of the arguments as the byte 0xFF. None of these is sent as a member.
 * `clientStreamEvents` takes `readSeconds` (read until the region closes the stream, or this long; the answer says `closed`, the number of `comments` and the `longestQuietMs`, and gives the `events` and the `lastEventId`, the id field of the last, which a reconnecting client sends as `Last-Event-ID`) and `keepAliveWithin` (seconds: the answer's `keptAlive` says whether the stream never went quiet longer), neither sent. A client operation made without `as` goes to the region named by `at: <region>` and carries
 * `bearer: <session secret>` as its credentials (a session the runner did not log in itself);
 * neither is sent as a member either. `spoilBearer: truncated | altered` sends `as`'s session
 * secret without its last character, or with it changed (a wrong secret, not a missing one).
 * A user-server role `as` signs a region-interface request in the user server's voice (keyid
 * `user-server`) when the target lets the runner (needs: sign-as-user-server).
 */
const Args = Type.Record(Type.String(), Type.Unknown())

export const Actor = Type.Object({
  kind: Type.Union([
    Type.Literal('user'), Type.Literal('xmpp-user'), Type.Literal('region'),
    Type.Literal('gateway'), Type.Literal('user-server'), Type.Literal('jabber-server')
  ]),
  at: Type.Optional(Type.String({ description: 'For a user: the region (or gateway / jabber-server) it signs on at.' })),
  transport: Type.Optional(Type.Union([Type.Literal('bosh'), Type.Literal('websocket')], {
    description: 'For an xmpp-user at the gateway (an IM-only grid user): how its XMPP client connects (GRIDIM-XMPP-6); BOSH unless told.'
  })),
  client: Type.Optional(Type.Union([Type.Literal('http'), Type.Literal('stream')], {
    description: 'For a user: the client interface its client uses whatever the run\'s `--client-interface` (chapter 10): `stream`, the client stream for instant messages, chat states and its events; `http`, the HTTP operations and clientListEvents. Unset: the run\'s.'
  })),
  simulated: Type.Optional(Type.Boolean({
    description: 'For a region or gateway: the conformance runner plays it (own regionId, Ed25519 key pair and a "next" key, a loopback URL; it hosts nobody and records what it receives). Scope: $RX.regionId, $RX.url, $RX.publicKey, $RX.nextPublicKey.'
  })),
  description: Type.Optional(Type.String())
}, { additionalProperties: false })

export const Friendship = Type.Object({
  between: Type.Array(Name, { minItems: 2, maxItems: 2, uniqueItems: true }),
  rights: Type.Optional(Type.Object({
    ab: Type.Integer({ minimum: 0, maximum: 7, description: 'What the first grants the second.' }),
    ba: Type.Integer({ minimum: 0, maximum: 7, description: 'What the second grants the first.' })
  }, { additionalProperties: false }))
}, { additionalProperties: false })

export const Setup = Type.Object({
  users: Type.Optional(Type.Array(Name)),
  friendships: Type.Optional(Type.Array(Friendship)),
  groups: Type.Optional(Type.Array(Type.Object({
    name: Name, members: Type.Array(Name, { minItems: 1 })
  }, { additionalProperties: false }))),
  signedOn: Type.Optional(Type.Array(Name, { description: 'Users signed on (at their `at`) before step 1, in this order.' })),
  settings: Type.Optional(Type.Object({
    leaseSeconds: Type.Optional(Type.Integer({ minimum: 1 })),
    groupIdleSeconds: Type.Optional(Type.Integer({ minimum: 1 })),
    clientIdleSeconds: Type.Optional(Type.Integer({ minimum: 1 })),
    handoverSeconds: Type.Optional(Type.Integer({ minimum: 1 })),
    keepAliveSeconds: Type.Optional(Type.Integer({ minimum: 1 }))
  }, { additionalProperties: false }))
}, { additionalProperties: false })

/** An action the runner performs: a client or admin operation, or a runner-level action. */
export const CallAction = Type.Object({
  call: Type.String({ description: 'An operationId, or a runner action: killRegion, reviveRegion (start a region this flow killed again, from its stored state), restartUserServer (`downSeconds`: how long it stays down before it starts again, default 0, at most 30), wait-idle, probe-slow-clients (`roles`: the roles to hold a silent connection, a slowloris and a kept-alive idle connection against, at once; answers per role `{silent, slowloris, keptAliveIdle}`, each `{closed, afterMs}`), post-bosh-body (`to`: the gateway; `body`: `oversized`, a BOSH session request of 140 000 bytes, `invalid-utf8`, one holding the byte 0xFF, `unknown-sid`, a request naming a session the gateway never made, `rid-outside-window`, a session made and then a request a million rids ahead, `no-rid`, a session request without a rid, or `restricted-xml`, a session request opening with a document type declaration that declares an entity; sent over a real connection, it answers `{type, condition, streamError}` of the `<body/>` that came back (`streamError`: the condition of a `<stream:error/>` it carries), status 0 when none did), open-websocket (`to`: the gateway; `handshake`: `valid`, `no-upgrade` (a plain GET) or `bad-key` (a Sec-WebSocket-Key that is not 16 bytes of base64); answers the status, 101 for a handshake taken, and the body), bosh-from-page (`to`: the gateway; the runner acts as a script in a web page from `origin: allowed` or `refused` (the target\'s page origins) and judges what a browser would: `request: preflight` answers `{preflight: passed | failed, reason, corsHeaders}`, `post` (a session request, ended again) `{readable, varyOrigin, created}`, `websocket` the handshake\'s status, 101 when upgraded); keep-lease (`region`: a region the runner plays, `name` its name in the directory: it takes a lease with renewRegionLease and renews it a third of the granted time later, again and again until the flow ends, as a live region does; answers the first renewal), region-answers (`region`: a region the runner plays; `operation`: a region operation; `answers`: a list of `{status, code}` it gives the next requests of that operation, in order, before it answers as usual again — a problem with `code` for a status of 300 or more, a success otherwise (deliverInstantMessage: `delivered`; deliverInstantMessages: each message its entry of `results`, a list of `{messageId, status}` or `{messageId, code}`, agent-not-here for one it does not name), each given `delayMs` (1 to 5000) after the request came when told, as a slow peer answers; `{cut: true}` instead reads the request and closes the connection with no answer, as a peer that crashes or a balancer that loses the instance it passed the request to does, the request received all the same. Such a region, as any, refuses with replayed-request a request whose nonce it has already received from the same keyid, before any scripted answer), burst (as `as`, the operation `operation` with the arguments `args`, sent `count` times (at most 200) at `perSecond`, each on its own schedule, not after the previous answer; answers `{sent, statuses, rateLimited, rateLimitedWithoutRetryAfter, spreadMs}`: the statuses by number, the refusals with rate-limited, and those of them without a Retry-After of whole seconds), await (`started`: the name of an earlier step\'s `start`: the step\'s response is that request\'s answer, and it came at the time the answer arrived, which may be before this step began); jabber-server (the runner as the gateway\'s Jabber server, needs: control-jabber-server; `act`: `go-silent` — the link stays open but the server drops what comes and sends nothing, answers `{silent}`; `await-link-failure` — after go-silent, waits (bounded by the spec\'s 30 s + 30 s, or the shorter timings the target declares) for the gateway to give the link up and link again, answers `{pinged, closed, relinked}`: an XEP-0199 ping on the silent link, the link closed by the gateway, a new handshake; `cut-link` — drops the link\'s connection, with `refuse: <n>` (0–6) or `all` the next stream openings answered with the stream error `condition` (system-shutdown unless told; internal-server-error, not-authorized after the handshake, host-unknown), and waits: with a count, for the gateway to link again, answering `{relinked, refused, delaysMs, backoff}` where `backoff` is `as GRIDIM-XMPP-3 asks` or what is wrong with the delays; with all, for the first refused attempt (and, for not-authorized and host-unknown, a quiet time in which a retrying gateway would try again), answering `{attempts, relinked: false}`; `accept-links` — openings served again, waits for the gateway to link, `{relinked}`; `await-ping` — waits (5 s) for a ping after the last message stanza the gateway wrote, `{pinged, withinMs}`; `send-from-server` — `stanza: message` (chat, with a body) or `iq` (a get) from the server\'s own address to the gateway domain, answers `{answered, name, type, condition}` of the gateway\'s answer within 3 s. What a flow did to the link is undone when it ends); restart-gateway (needs: restart-gateway; the gateway stopped as a crash would and started again; `domain: mismatched` configures it with a gateway domain the user server does not publish; answers `{started}` or `{started: false, error, names: {gatewayDomain, publishedDomain, jabberServer}}`, whether its error names each; a gateway not left as configured is restarted so when the flow ends); the link actions (capability link-faults; `to`: the role whose incoming link it acts on, through the runner\'s proxy in front of it; `from`: only requests signed by that role, else all; `operation`: only that operation, or a list of them; `count`: only the first that many requests it matches; of the faults that match a request, the latest added decides): partition (the connection closes without an answer, as to an unreachable role), delay (`ms`: forwarded that much later), hold (kept unforwarded until a heal, then forwarded), hold-answer (forwarded, its answer kept until a heal), blackhole (taken, never forwarded nor answered; a heal drops it), await-held (`count`, default 1: waits until the link to `to` holds that many requests or answers; for a region the runner plays, until that many of its answers are being delayed by region-answers `delayMs`; with `atMostMs`, a whole number of milliseconds, it waits at most that long and then goes on, for a target that may rightly send nothing to hold), drop-held (what the link to `to` holds is lost: the callers\' connections close unanswered; the faults stay) and heal (ends the faults on the link to `to`, or on every link: held requests go on, held answers are given; every fault also ends with the flow); the client stream actions, as the user `as` beside its session (stream-actions.ts): open-stream (`stream`: a name, default `as`; `hello`: `valid`, `none`, or a bearer spoil `truncated`/`altered`; `after`: the hello\'s cursor; `subprotocol: false` offers none, answered with the refused handshake\'s status and body; `at`: a region other than the session\'s to open it at, the one the session left, say), stream-send (`frames`: objects sent as JSON, `{raw: text}` as that text; waits for an answer to each ref sent), stream-read (until quiet), close-stream; with `until: close` the first three read until the region closes the stream instead; each answers, of what came since a step last looked, `{frames, events, lastEventId, answers (by ref), closed, closeCode, pings}` (`quietMs`, default 300, and `maxMs`, at most 10 000, bound the reading); and for an xmpp-user `as`, signOn (connect its XMPP client, fetch the roster, send initial presence; with `secondClient: true`, a second app of the same user signs on while the first stays connected) and signOff (close its stream). Client operations are made as the user `as`, or without credentials when `as` is absent; user-server and region operations as the simulated role `as`, or unsigned.' }),
  as: Type.Optional(Name),
  args: Type.Optional(Args),
  save: Type.Optional(Type.String({ description: 'Name under which the response body is kept, e.g. offer.' })),
  start: Type.Optional(Type.String({
    pattern: '^[A-Za-z][A-Za-z0-9_-]*$',
    description: 'Concurrent steps: the runner sends the request and goes on to the next step without waiting for the answer (a long poll held, an event stream read), which a later step takes with `{call: await, args: {started: <this name>}}`. The step itself has no response to check.'
  }))
}, { additionalProperties: false })

/**
 * A stanza sent by an xmpp-user's client: the runner builds the object of the named schema from
 * `args` (`kind` follows from the name; `from` defaults to the actor's address, which its server
 * stamps anyway), checks it against the schema, maps it to XML and sends it on the actor's stream.
 * Of the <iq/> schemas a client sends only `disco-info-query` (`to`, `node`); its answer, result
 * or error, is a received stanza for the step's expectations (`disco-info-result`).
 */
export const SendAction = Type.Object({
  send: StanzaName,
  as: Name,
  args: Type.Optional(Args),
  attrs: Type.Optional(Type.Record(Type.String(), Type.String(), {
    description: 'Attributes set on the mapped element, for what the mapping has no member for, e.g. {type: headline}.'
  })),
  offSchema: Type.Optional(Type.Boolean({
    description: 'True when `args` break the schema on purpose (a negative check, e.g. a body over 1023 bytes): the stanza is sent anyway.'
  })),
  spoil: Type.Optional(Type.Literal('comment', {
    description: 'Hostile input, not what a client sends: the stanza is written with an XML comment inside its <body/>, which RFC 6120 §11.1 forbids on a stream. Over WebSocket only, where a client writes text frames itself.'
  }))
}, { additionalProperties: false })

export const Action = Type.Union([CallAction, SendAction])

export const Exchange = Type.Object({
  operation: Type.Optional(OperationId),
  stanza: Type.Optional(StanzaName),
  from: Name,
  to: Name,
  note: Type.Optional(Type.String())
}, { additionalProperties: false })

const EventExpectation = Type.Object({
  kind: Type.Literal('event'),
  for: Name,
  type: Type.String({ description: 'A ClientEvent type.' }),
  match: Type.Optional(Args),
  count: Type.Optional(Type.Integer({
    minimum: 1,
    description: 'How many such events `for` has received in all (a repeat shown twice is a failure); judged, like no-event, once the step\'s other positive expectations have been seen.'
  }))
}, { additionalProperties: false })

const NoEventExpectation = Type.Object({
  kind: Type.Literal('no-event'),
  for: Name,
  type: Type.String(),
  match: Type.Optional(Args),
  description: Type.Optional(Type.String({ description: 'Checked once the step\'s positive expectations have been seen, so no fixed sleep is needed.' }))
}, { additionalProperties: false })

const ResponseExpectation = Type.Object({
  kind: Type.Literal('response'),
  status: Type.Optional(Type.Integer({ minimum: 100, maximum: 599 })),
  match: Type.Optional(Args),
  discreet: Type.Optional(Type.Literal(true, {
    description: 'The answer is an error answer that reveals no internal detail: no stack trace, query, source file path, network address or URL in any of its strings (GRIDIM-ERR-6).'
  })),
  contentType: Type.Optional(Type.String({
    pattern: '^[a-z0-9!#$&^_.+-]+/[a-z0-9!#$&^_.+-]+$',
    description: 'The media type the answer is labelled with (its Content-Type without parameters, case aside): application/problem+json for problem details (GRIDIM-ERR-1), text/event-stream for an event stream (GRIDIM-CLI-13).'
  })),
  within: Type.Optional(Type.Number({
    exclusiveMinimum: 0,
    maximum: 30,
    description: 'Seconds: the answer arrived no later than this after the step began (for an `await`, an answer that came earlier counts as at once).'
  }))
}, { additionalProperties: false })

const StateExpectation = Type.Object({
  kind: Type.Literal('state'),
  of: Name,
  match: Args
}, { additionalProperties: false })

const ExchangeExpectation = Type.Object({
  kind: Type.Literal('exchange'),
  operation: OperationId,
  from: Name,
  to: Name,
  count: Type.Optional(Type.Integer({ minimum: 0 })),
  status: Type.Optional(Type.Integer({
    minimum: 0,
    maximum: 599,
    description: 'Only exchanges answered with this HTTP status count (0: one that got no answer, its connection closed first): what the receiver made of the request, e.g. 200 for one it took, 401 for one it refused as replayed.'
  })),
  spacedMs: Type.Optional(Type.Integer({
    minimum: 1,
    description: 'Each such exchange went out at least this many milliseconds after the one before it (a retry that waits as Retry-After asks).'
  })),
  within: Type.Optional(Type.Number({
    exclusiveMinimum: 0,
    maximum: 30,
    description: 'Seconds: the request went out no later than this after the step began (a time bound such as GRIDIM-SIGN-15\'s), instead of the runner\'s event timeout.'
  }))
}, { additionalProperties: false })

const StanzaExpectation = Type.Object({
  kind: Type.Literal('stanza'),
  for: Name,
  stanza: StanzaName,
  match: Type.Optional(Args),
  sinceStep: Type.Optional(Type.String({
    description: 'The id of an earlier step: stanzas received since that step began count, instead of since the latest step whose `do` can change state — for a stanza a target may rightly send before or after a later runner action (a heal).'
  }))
}, {
  additionalProperties: false,
  description: 'Met by a stanza the xmpp-user `for` received that reads as this schema and matches: one not used by an earlier expectation, received since the latest step whose `do` can change state (anything but a GET) began, or since `sinceStep` began.'
})

const NoStanzaExpectation = Type.Object({
  kind: Type.Literal('no-stanza'),
  for: Name,
  stanza: StanzaName,
  match: Type.Optional(Args)
}, {
  additionalProperties: false,
  description: 'No such stanza received since the latest step whose `do` can change state began; checked, like no-event, once the step\'s positive expectations have been seen.'
})

const StreamErrorExpectation = Type.Object({
  kind: Type.Literal('stream-error'),
  for: Name,
  condition: Type.String({ pattern: '^[a-z]+(-[a-z]+)*$', description: 'A stream error condition of RFC 6120 §4.9.3, e.g. conflict, restricted-xml.' })
}, {
  additionalProperties: false,
  description: 'Met when the gateway ends a stream of the IM-only xmpp-user `for` (any of its clients in this flow) with this stream error (RFC 6120 §4.9; over BOSH inside the terminate body, XEP-0206 §6), since the latest step whose `do` can change state began.'
})

const TrafficExpectation = Type.Object({
  kind: Type.Literal('traffic'),
  of: Name
}, {
  additionalProperties: false,
  description: 'Every HTTP message of the role `of` the runner has seen in the flow so far (requests it sent, answers it gave) matches the OpenAPI documents in what the outcome\'s requirements say (GRIDIM-ROLE-6, -9, GRIDIM-ID-1, -12); fails when one does not, or when none was seen. Judged after the step\'s other expectations.'
})

export const Expectation = Type.Union([
  EventExpectation, NoEventExpectation, ResponseExpectation,
  StateExpectation, ExchangeExpectation, StanzaExpectation, NoStanzaExpectation, StreamErrorExpectation, TrafficExpectation
])

export const Outcome = Type.Object({
  text: Type.String({ minLength: 1 }),
  requirements: Type.Array(RequirementId, { minItems: 1 }),
  expect: Type.Optional(Expectation)
}, { additionalProperties: false })

export const Step = Type.Object({
  id: Type.String({ pattern: '^[0-9]+(\\.[0-9]+)*$' }),
  actor: Name,
  action: Type.String({ minLength: 1 }),
  do: Type.Optional(Action),
  exchanges: Type.Optional(Type.Array(Exchange)),
  outcomes: Type.Array(Outcome)
}, { additionalProperties: false })

export const Flow = Type.Object({
  id: Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' }),
  title: Type.String({ minLength: 1 }),
  source: Type.Object({
    kind: Type.Union([Type.Literal('seed-step'), Type.Literal('seed-assumption'), Type.Literal('expected')]),
    ref: Type.String({ description: 'Seed step or assumption number, or a short reason for an expected-behaviour flow.' })
  }, { additionalProperties: false }),
  summary: Type.String({ minLength: 1 }),
  needs: Type.Optional(Type.Array(Type.Union([
    Type.Literal('xmpp'), Type.Literal('jabber-server'), Type.Literal('gateway'),
    Type.Literal('kill-region'), Type.Literal('stop-region'), Type.Literal('restart-user-server'), Type.Literal('admin-settings'),
    Type.Literal('sign-as-user-server'), Type.Literal('control-jabber-server'), Type.Literal('restart-gateway'),
    Type.Literal('link-faults'), Type.Literal('batching-sender')
  ]))),
  actors: Type.Record(Name, Actor),
  setup: Type.Optional(Setup),
  steps: Type.Array(Step, { minItems: 1 })
}, { $id: 'urn:gridim:flow', additionalProperties: false })

export type Flow = Static<typeof Flow>
export type Step = Static<typeof Step>
export type Outcome = Static<typeof Outcome>
export type Expectation = Static<typeof Expectation>
export type CallAction = Static<typeof CallAction>
export type SendAction = Static<typeof SendAction>
