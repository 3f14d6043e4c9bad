// Proof that the conformance runner catches bugs (issue 5): the reference grid is started with
// one deliberate fault (reference/lib/faults.ts), the flow meant to catch it is replayed, and the
// run must fail with a check tagged with the requirement the fault breaks. The same flows must
// pass against the unbroken reference, so a failure here is the fault's doing and nothing else.
import t from 'tap'
import type { Fault } from '../../reference/lib/faults.ts'
import type { Check, RunResult } from '../runner/results.ts'
import { runSuite } from '../runner/run-suite.ts'
import { startEmbeddedTarget } from '../target/embedded.ts'

type Variant = {
  fault: Fault
  flow: string
  requirement: string
  bug: string
  /** Set while the runner cannot catch the fault yet: why not. */
  gap?: string
}

const variants: readonly Variant[] = [
  { fault: 'presence-to-friends-of-friends', flow: 'x-b-never-sees-c', requirement: 'GRIDIM-PRES-3', bug: 'a user server that tells B C is online' },
  { fault: 'offline-store-drops-messages', flow: 'x-offline-message-stored-until-acknowledged', requirement: 'GRIDIM-OFFL-5', bug: 'an offline store that drops messages' },
  { fault: 'offline-deleted-on-read', flow: 'x-offline-message-stored-until-acknowledged', requirement: 'GRIDIM-OFFL-6', bug: 'an offline store that deletes messages on read' },
  { fault: 'no-retry-after-agent-not-here', flow: 'x-stale-location-retried-once', requirement: 'GRIDIM-IM-4', bug: 'a region that never retries after agent-not-here' },
  {
    fault: 'group-forward-per-member',
    flow: 'x-group-message-once-per-region',
    requirement: 'GRIDIM-GRP-13',
    bug: 'a user server that forwards a group message once per member'
  },
  { fault: 'region-accepts-unsigned', flow: 'x-unsigned-or-forged-request', requirement: 'GRIDIM-SEC-1', bug: 'a region that accepts an unsigned request' },
  { fault: 'lapsed-leases-ignored', flow: 'x-region-dies', requirement: 'GRIDIM-LEASE-6', bug: 'a user server that keeps a lapsed region\'s agents online' },
  { fault: 'region-forgets-sent-ids', flow: 'x-duplicate-send-deduplicated', requirement: 'GRIDIM-CLI-17', bug: 'a region that sends a repeated messageId again' },
  {
    fault: 'region-problem-status-as-text',
    flow: 'x-stale-location-retried-once',
    requirement: 'GRIDIM-ERR-1',
    bug: 'a region whose agent-not-here problem gives its status as text'
  },
  {
    fault: 'gateway-ignores-can-see-online',
    flow: 'x-xmpp-rights-honoured',
    requirement: 'GRIDIM-XMPP-24',
    bug: 'a gateway that shows a foreign friend a grid user who has not granted CanSeeOnline'
  },
  {
    fault: 'region-trusts-any-handover',
    flow: 'x-handover-bound-to-session',
    requirement: 'GRIDIM-LOC-12',
    bug: 'a region that hosts any agent handed over to it once locateUser places the user there'
  },
  {
    fault: 'handover-confirmed-twice',
    flow: 'x-handover-bound-to-session',
    requirement: 'GRIDIM-LOC-17',
    bug: 'a user server that confirms the same hand-over twice'
  },
  { fault: 'unread-dropped-on-logout', flow: 'x-unread-returned-on-logout', requirement: 'GRIDIM-OFFL-11', bug: 'a region that drops what a session left unread at logout' },
  {
    fault: 'unread-dropped-on-replacement',
    flow: 'x-unread-returned-on-replacement',
    requirement: 'GRIDIM-SIGN-20',
    bug: 'a region that drops what a replaced session left unread'
  },
  {
    fault: 'returned-unread-from-any-region',
    flow: 'x-unread-return-rules',
    requirement: 'GRIDIM-OFFL-12',
    bug: 'a user server that takes unread messages back from a region that never hosted the session'
  },
  {
    fault: 'user-server-verifies-host-header',
    flow: 'x-signature-profile-enforced',
    requirement: 'GRIDIM-SEC-4',
    bug: 'a user server that verifies @target-uri against the Host header'
  },
  { fault: 'any-digest-algorithm', flow: 'x-signature-profile-enforced', requirement: 'GRIDIM-SEC-2', bug: 'a receiver that accepts a Content-Digest with sha-512 only' },
  {
    fault: 'malformed-signature-as-bad-signature',
    flow: 'x-signature-profile-enforced',
    requirement: 'GRIDIM-SEC-17',
    bug: 'a receiver that answers a signature without alg, nonce or created with bad-signature'
  },
  { fault: 'short-nonce-accepted', flow: 'x-signature-profile-enforced', requirement: 'GRIDIM-SEC-16', bug: 'a receiver that accepts a one-character nonce' },
  { fault: 'get-body-unlimited', flow: 'x-malformed-http-refused', requirement: 'GRIDIM-LIM-3', bug: 'a role that answers a GET whose body is over 65 536 bytes' },
  { fault: 'bosh-no-cors', flow: 'x-bosh-from-another-origin', requirement: 'GRIDIM-XMPP-56', bug: 'a gateway whose BOSH endpoint answers no CORS preflight and names no allowed origin' },
  {
    fault: 'websocket-get-unrouted',
    flow: 'x-websocket-bad-handshake',
    requirement: 'GRIDIM-ERR-12',
    bug: 'a gateway that answers a GET of its WebSocket endpoint without Upgrade with 404'
  },
  {
    fault: 'lease-codes-passed-to-client',
    flow: 'x-lease-lapse-ends-client-session',
    requirement: 'GRIDIM-LEASE-12',
    bug: 'a region that answers its client lease-expired after a lapse'
  },
  {
    fault: 'duplicate-before-sender-check',
    flow: 'x-duplicate-told-only-to-sender',
    requirement: 'GRIDIM-IM-24',
    bug: 'a region that tells any signer a messageId is known'
  },
  {
    fault: 'lapsed-region-answers-lease-expired',
    flow: 'x-lapsed-region-answers-agent-not-here',
    requirement: 'GRIDIM-IM-25',
    bug: 'a region whose lease lapsed that answers a delivery lease-expired'
  },
  {
    fault: 'acknowledged-ids-in-memory',
    flow: 'x-acknowledged-survives-restart',
    requirement: 'GRIDIM-OFFL-2',
    bug: 'a user server that forgets on restart which stored messages were acknowledged'
  },
  {
    fault: 'gateway-needs-directed-presence',
    flow: 'x-xmpp-first-contact',
    requirement: 'GRIDIM-XMPP-47',
    bug: 'a gateway that refuses a Jabber user who has sent no presence to the gateway domain'
  },
  {
    fault: 'gateway-resubscribes-friends',
    flow: 'x-xmpp-subscription-states',
    requirement: 'GRIDIM-XMPP-50',
    bug: 'a gateway that answers a friend\'s subscribe with subscribed and a new subscribe'
  },
  {
    fault: 'gateway-no-roster-push-on-accept',
    flow: 'x-xmpp-subscription-states',
    requirement: 'GRIDIM-XMPP-52',
    bug: 'a gateway that sends no roster push and no presence when an IM-only user accepts an offer'
  }
]

/** Leases this short lapse within 3 s of a crash (a 1 s sweep), well inside the event timeout. */
const LEASE_SECONDS = 2
/** Ample for a lapse; short, since under a fault the awaited event never comes. */
const EVENT_TIMEOUT_MS = 5000

const checksOf = (run: RunResult): Check[] => run.flows.flatMap((f) => f.checks)
const failures = (run: RunResult): Check[] => checksOf(run).filter((c) => c.status === 'fail')
const describe = (checks: readonly Check[]): string[] => checks.map((c) => `${c.flow} step ${c.step} [${c.requirements.join(', ')}]: ${c.message ?? ''}`)

async function runAgainst (flows: string[], faults?: ReadonlySet<Fault>): Promise<RunResult> {
  // The runner's own Jabber server, so the gateway's variants run without Prosody installed.
  const target = await startEmbeddedTarget({ leaseSeconds: LEASE_SECONDS, faults, xmpp: 'simulated' })
  try {
    return await runSuite(target, { flows, eventTimeoutMs: EVENT_TIMEOUT_MS })
  } finally {
    await target.close()
  }
}

t.test('the unbroken reference passes every flow the variants are checked with', async (t) => {
  const run = await runAgainst([...new Set(variants.map((v) => v.flow))])
  t.ok(checksOf(run).length > 0, 'the flows have checks')
  t.same(describe(failures(run)), [], 'no check fails')
  t.same(describe(checksOf(run).filter((c) => c.status === 'impossible')), [], 'and none is impossible')
})

for (const { fault, flow, requirement, bug, gap } of variants) {
  t.test(`${bug} fails ${flow} under ${requirement}`, gap === undefined ? {} : { todo: gap }, async (t) => {
    const run = await runAgainst([flow], new Set([fault]))
    const failed = failures(run)
    // The grid must work apart from the fault: a flow that fails everywhere (say, in setup) proves nothing.
    t.ok(checksOf(run).some((c) => c.status === 'pass'), 'the rest of the flow still passes', { failed: describe(failed) })
    t.ok(failed.length > 0, `the ${fault} variant fails at least one check`)
    t.ok(failed.some((c) => c.requirements.includes(requirement)), `a failed check carries ${requirement}`, { failed: describe(failed) })
  })
}
