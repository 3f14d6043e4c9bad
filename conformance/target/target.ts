// What the runner tests: a Target names the roles under test (their URLs) and what the runner
// may do to them. The embedded reference grid is one Target; a target file describes another.
import type { KeyObject } from 'node:crypto'
import type { ObservedExchange } from '../../reference/lib/http/index.ts'
import type { Refusal } from '../lib/refusals.ts'
import type { Links } from './links.ts'
import type { Lane } from '../runner/lane.ts'
import type { ProcessOutput } from './output-log.ts'
import type { Login, XmppConnection } from '../xmpp/connection.ts'
import type { LinkControl } from '../jabber/link-control.ts'

export type RegionEndpoint = { name: string, regionId?: string, url: string }

/** The XMPP gateway under test: a region of kind gateway, and the XMPP server of its domain. */
export type GatewayEndpoint = {
  /** Its region interface; BOSH and WebSocket are on the same listener unless told (GRIDIM-XMPP-6). */
  url: string
  /** The gateway domain: grid users are first.last@domain (GRIDIM-ID-8). */
  domain: string
  regionId?: string
  boshUrl?: string
  websocketUrl?: string
  /**
   * Web page origins for the CORS flow (GRIDIM-XMPP-56, -57): one the gateway allows, one it
   * refuses. Default http://localhost:8080 (allowed by default on a loopback listener) and
   * https://refused-origin.invalid.
   */
  pageOrigins?: { allowed: string, refused: string }
  /**
   * What the gateway's component link waits, in ms, when it is configured shorter than the
   * spec's bounds (GRIDIM-XMPP-2: 30 s idle before a ping, 30 s for its answer; GRIDIM-XMPP-3:
   * a first retry within 1 s): the runner's waits for a silent or broken link are bounded by
   * these instead. Unset: the spec's bounds, and those flows take up to a minute.
   */
  linkTimings?: { idlePingMs: number, pingTimeoutMs: number, retryStartMs: number }
}

export type JabberAccount = { user: string, password: string }

/** A contact put in a Jabber account's roster before its first login (RFC 6121 §2.1.2). */
export type JabberRosterItem = { jid: string, name?: string, subscription: 'none' | 'to' | 'from' | 'both' }

/** The outside Jabber server the gateway is a component of; the runner's foreign users log in there. */
export type JabberServerEndpoint = {
  /** prosody, ejabberd, or another server's name, for reports. */
  kind: string
  /** Its client-to-server port (plain TCP, PLAIN over an unencrypted loopback stream). */
  host?: string
  port?: number
  domain: string
  /** A server the runner plays itself: its users log in in-process instead of over host:port. */
  connect?: (login: Pick<Login, 'username' | 'password' | 'resource'>) => Promise<XmppConnection>
  /** A fresh account per foreign user of a flow, when the server lets the runner make them. */
  createAccount?: () => Promise<JabberAccount>
  /** Otherwise accounts to use, one per foreign user of a flow (their rosters must start empty). */
  accounts?: JabberAccount[]
  /** Friendships of foreign users are mutual subscriptions there: the runner seeds the roster. */
  addRosterItem?: (user: string, item: JabberRosterItem) => Promise<void>
  /**
   * A server the runner plays: its side of the component link, which flows may break, silence
   * and refuse (capability control-jabber-server, issue 14).
   */
  link?: LinkControl
}

export type Target = {
  name: string
  userServerUrl: string
  adminToken: string
  regions: RegionEndpoint[]
  /** The runner plays the user server itself (a target of regions only); it is not under test. */
  playsUserServer?: boolean
  gateway?: GatewayEndpoint
  jabberServer?: JabberServerEndpoint
  /** Optional abilities; a flow that needs a missing one is reported as impossible. */
  capabilities: Set<string>
  /** Why an ability is missing and how to get it, for the report (e.g. install Prosody). */
  missing?: Partial<Record<string, string>>
  /** Crash a region without a graceful sign-off (capability kill-region). */
  killRegion?: (index: number) => Promise<void>
  /**
   * Shut a region down in an orderly way, as its operator would (capability stop-region): it may
   * return unread messages and end its lease (GRIDIM-LEASE-13). reviveRegion starts it again.
   */
  stopRegion?: (index: number) => Promise<void>
  /** Start a killed or stopped region again, same identity and address, so later flows have it. */
  reviveRegion?: (index: number) => Promise<void>
  /**
   * Stop and start the user server on the same address (capability restart-user-server), down
   * for `downMs` between the two (default 0) — long enough, and the regions' leases lapse.
   */
  restartUserServer?: (downMs?: number) => Promise<void>
  /**
   * Stop the gateway as a crash would and start it again, same identity and address (capability
   * restart-gateway) — configured with another gateway domain when `domain` is given. Resolves
   * with whether it started; when it refused to, with the error it gave (GRIDIM-XMPP-58, -59).
   */
  restartGateway?: (options?: { domain?: string }) => Promise<{ started: boolean, error?: string }>
  /** Watch service-to-service traffic (capability observe-traffic): returns the stop function. */
  observe?: (observer: (exchange: ObservedExchange) => void) => () => void
  /**
   * What the roles the runner plays for this target (its simulated user server) refused at or
   * after `since` (ms): a failure's message names them (issue 14).
   */
  refusals?: (since: number) => Refusal[]
  /** What the target's processes the runner started wrote at or after `since` (ms), per process (issue 14). */
  processOutput?: (since: number) => ProcessOutput[]
  /** Whether observe sees traffic from one role of a flow (US, R1, ...) to another, given their base URLs; default all of it. */
  observes?: (from: string, to: string, urlOf?: (role: string) => string | undefined) => boolean
  /**
   * The user server's private key (capability sign-as-user-server), when the runner may speak in
   * its voice: as the user server it can send what an ordinary one sends on a retry, such as a
   * repeated `noticeId` (GRIDIM-SIGN-19) or group message (GRIDIM-GRP-21).
   */
  userServerKey?: KeyObject
  /**
   * The runner's proxies in front of roles (capability link-faults, issue 14): a flow can cut,
   * delay or hold the links to a role that has one.
   */
  links?: Links
  /** key id (`user-server` or a regionId) → the role's URL, to name the sender of an exchange. */
  keyIdUrl?: (keyId: string) => string | undefined
  /**
   * Further instances of the same target with state of their own, where `flowsAtOnce` flows
   * replay beside this one's, one per instance (the embedded target starts that many grids like
   * it in a worker thread; run-suite.ts). The caller closes the lane. Absent: flows run one after another.
   */
  fork?: (flowsAtOnce: number) => Promise<Lane>
  close: () => Promise<void>
}

/**
 * What a target file may say its regions do beyond what the spec requires, so that the flows
 * judging it run: `batching-sender`, regions that send what waits for a busy link in one
 * deliverInstantMessages (GRIDIM-IM-32, a SHOULD).
 */
export const DECLARED_CAPABILITIES: readonly string[] = ['batching-sender']

/** Why a flow that needs batching-sender is impossible against a target that does not say so. */
export const BATCHING_SENDER_MISSING = 'the target does not say its regions batch: GRIDIM-IM-32 recommends sending what waits for a busy link in one deliverInstantMessages, it does not require it; add batching-sender to the target file\'s capabilities if yours do'
