// Deliberate bugs, for one purpose only: conformance/variants/ starts the reference with one of
// these switched on and checks that the conformance runner fails the flow that should catch it,
// under the right requirement id. A suite that passes a broken implementation proves nothing.
// Nothing in a production path (the CLI, start-up from a config file) ever sets them; each one
// is a single condition at the place where the reference makes the decision it breaks.

/**
 * One deliberate departure from the spec, named after what goes wrong.
 * - `presence-to-friends-of-friends`: a sign-on is also announced to the friends' friends (breaks GRIDIM-PRES-3).
 * - `offline-store-drops-messages`: storeOfflineMessage answers 201 and stores nothing (breaks GRIDIM-OFFL-5).
 * - `offline-deleted-on-read`: signOn deletes the stored messages it returns, as OpenSimulator does (breaks GRIDIM-OFFL-6).
 * - `no-retry-after-agent-not-here`: a region stores the message instead of one fresh lookup and retry (breaks GRIDIM-IM-4).
 * - `group-forward-per-member`: a group message goes once per member, not once per region (breaks GRIDIM-GRP-13).
 * - `region-accepts-unsigned`: a region lets a request without a signature through (breaks GRIDIM-SEC-1).
 * - `lapsed-leases-ignored`: the lease sweeper never ends a lapsed lease (breaks GRIDIM-LEASE-6).
 * - `region-forgets-sent-ids`: a region sends a repeated client messageId again (breaks GRIDIM-CLI-17).
 * - `region-problem-status-as-text`: a region's agent-not-here problem gives `status` as text, "404"
 *   (breaks GRIDIM-ERR-1 and GRIDIM-ROLE-9; only checking the traffic against the contract sees it).
 * - `gateway-ignores-can-see-online`: the gateway answers a presence probe with available presence for an
 *   online friend who has not granted the prober CanSeeOnline (breaks GRIDIM-XMPP-24).
 * - `unread-dropped-on-logout`: a region deletes what a session left unread when its client logs out,
 *   instead of returning it to the offline store (breaks GRIDIM-OFFL-11).
 * - `unread-dropped-on-replacement`: likewise when a newer sign-on elsewhere replaces the session (breaks GRIDIM-SIGN-20).
 * - `returned-unread-from-any-region`: the user server stores messages returned for a session by a region
 *   that never hosted it (breaks GRIDIM-OFFL-12).
 */
export type Fault =
  | 'presence-to-friends-of-friends'
  | 'offline-store-drops-messages'
  | 'offline-deleted-on-read'
  | 'no-retry-after-agent-not-here'
  | 'group-forward-per-member'
  | 'region-accepts-unsigned'
  | 'lapsed-leases-ignored'
  | 'region-forgets-sent-ids'
  | 'region-problem-status-as-text'
  | 'gateway-ignores-can-see-online'
  | 'unread-dropped-on-logout'
  | 'unread-dropped-on-replacement'
  | 'returned-unread-from-any-region'

/** No faults: what every production path uses. */
export const NO_FAULTS: ReadonlySet<Fault> = new Set()
