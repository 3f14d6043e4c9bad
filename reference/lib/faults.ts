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
 * - `region-trusts-any-handover`: a region hosts an agent handed over with `acceptAgent` once `locateUser`
 *   places the user there, without `confirmHandover` (breaks GRIDIM-LOC-12).
 * - `handover-confirmed-twice`: the user server confirms the same hand-over again; it keeps the record of
 *   the move after a confirmation (breaks GRIDIM-LOC-17).
 * - `unread-dropped-on-logout`: a region deletes what a session left unread when its client logs out,
 *   instead of returning it to the offline store (breaks GRIDIM-OFFL-11).
 * - `unread-dropped-on-replacement`: likewise when a newer sign-on elsewhere replaces the session (breaks GRIDIM-SIGN-20).
 * - `returned-unread-from-any-region`: the user server stores messages returned for a session by a region
 *   that never hosted it (breaks GRIDIM-OFFL-12).
 * - `user-server-verifies-host-header`: the user server forms `@target-uri` from the request's Host header,
 *   not its own base URL, so a request signed for another host and sent with that Host verifies (breaks GRIDIM-SEC-4).
 * - `any-digest-algorithm`: a Content-Digest with any one matching active algorithm (say sha-512 alone) is
 *   accepted without a sha-256 (breaks GRIDIM-SEC-2 and GRIDIM-SEC-15).
 * - `malformed-signature-as-bad-signature`: a signature missing alg, created, keyid or nonce, or a required
 *   component, is refused with bad-signature instead of unauthenticated (breaks GRIDIM-SEC-5 and GRIDIM-SEC-17).
 * - `short-nonce-accepted`: any non-empty nonce is accepted, even one character (breaks GRIDIM-SEC-16).
 * - `get-body-unlimited`: a GET request's body is never measured, so one over 65 536 bytes is answered as if it
 *   had none (breaks GRIDIM-LIM-3).
 * - `bosh-no-cors`: the gateway's /http-bind answers no CORS preflight (OPTIONS is 404) and labels no answer
 *   with Access-Control-Allow-Origin, so a BOSH client in a page from another origin never connects
 *   (breaks GRIDIM-XMPP-56).
 * - `websocket-get-unrouted`: the gateway answers a GET of `/xmpp-websocket` that asks for no upgrade with 404
 *   unknown-operation, a status openWebSocket does not list, instead of 400 (breaks GRIDIM-ERR-12).
 * - `lease-codes-passed-to-client`: a region answers a client operation with the `lease-expired` or
 *   `not-your-agent` the user server gave it, instead of ending the session with `unauthenticated` (breaks GRIDIM-LEASE-12).
 * - `delivered-before-sign-on`: a region answers `delivered` for a message to a user whose sign-on is still in
 *   flight, keeping it for a session that may never exist (breaks GRIDIM-SIGN-22).
 * - `lapsed-region-answers-lease-expired`: a region whose lease lapsed answers a delivery for an agent it hosted
 *   with the user server's `lease-expired` instead of `agent-not-here` (breaks GRIDIM-IM-25).
 * - `acknowledged-ids-in-memory`: the user server remembers the messageIds deleted on acknowledgement only in
 *   memory, so after a restart a sender's retry stores again what the recipient has read (breaks GRIDIM-OFFL-2).
 * - `duplicate-before-sender-check`: a region answers `duplicate` for a known messageId before checking that
 *   the signer hosts the sender (breaks GRIDIM-IM-24).
 * - `gateway-needs-directed-presence`: the gateway acts on a foreign user's stanza only once the user has signed
 *   on with presence to the gateway domain, as before issue 12: first contact is refused (breaks GRIDIM-XMPP-47).
 * - `gateway-resubscribes-friends`: the gateway answers a friend's `subscribe` with `subscribed` and a new
 *   `subscribe`, which an auto-approving client answers for ever (breaks GRIDIM-XMPP-50).
 * - `gateway-no-roster-push-on-accept`: an IM-only user's `subscribed` accepts the offer, but the gateway sends
 *   no roster push and no presence of the new friend (breaks GRIDIM-XMPP-52).
 * - `gateway-ignores-disco-node`: the gateway answers a room's disco#info with node `x-roomuser-item` with the
 *   room's own info and no node (breaks GRIDIM-XMPP-61).
 * - `subscribe-without-nick`: the gateway's `subscribe` for a friendship offer carries no XEP-0172 `<nick/>`
 *   (breaks GRIDIM-XMPP-62).
 *
 * Region and client-interface faults of the classes a third party's region slipped through (issue 14):
 * - `region-reuses-nonces`: a region checks `created` but remembers no nonce, so a request replayed
 *   within the window is accepted again (breaks GRIDIM-SEC-5).
 * - `bearer-matched-by-prefix`: a region compares a bearer secret only over the length presented, so a
 *   truncated secret authenticates as the session (breaks GRIDIM-CLI-2).
 * - `region-repeats-notices`: a region appends a notice it has already acted on again, not recognising
 *   the repeated `noticeId` (breaks GRIDIM-SIGN-19).
 * - `region-repeats-group-messages`: a region appends a repeated group message again for a member whose
 *   log already holds its `messageId` (breaks GRIDIM-GRP-21).
 * - `region-stores-without-retry`: a region stores a message at the first transient failure of the
 *   recipient's region instead of retrying it (breaks GRIDIM-IM-5).
 * - `region-gives-up-on-internal`: a region retries only `unavailable` and `rate-limited`; a 500
 *   `internal` is passed to the client as final (breaks GRIDIM-IM-5).
 * - `region-retries-any-refusal`: a region treats a refusal code it does not know as transient: it
 *   retries and then stores the message (breaks GRIDIM-IM-7).
 * - `region-drops-after-second-not-here`: when the retry after a fresh lookup is also answered
 *   `agent-not-here`, a region gives the sender that error and stores nothing (breaks GRIDIM-IM-4).
 * - `gateway-message-without-active`: the gateway's chat message for a delivered instant message carries
 *   no XEP-0085 `<active/>`, so a client never learns the sender supports chat states (breaks GRIDIM-XMPP-27).
 * - `gateway-stored-message-undated`: a message from the offline store reaches an XMPP user with no XEP-0203
 *   `<delay/>`, so it reads as sent just now (breaks GRIDIM-XMPP-27).
 * - `gateway-no-origin-id`: the gateway's chat message carries the messageId as its `id` only, with no
 *   XEP-0359 `<origin-id/>`, which servers may rewrite `id` around (breaks GRIDIM-XMPP-27).
 * - `chat-state-not-relocated`: a region that meets `agent-not-here` relaying a chat state forgets the
 *   location and gives up, with no fresh lookup and no second attempt (breaks GRIDIM-IM-18).
 * - `region-hides-not-here`: a region answers notices and group messages as if it hosted every addressee:
 *   nobody in `notHere`, a group member it does not host in `delivered` (breaks GRIDIM-SIGN-18 and GRIDIM-GRP-21).
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
  | 'region-trusts-any-handover'
  | 'handover-confirmed-twice'
  | 'unread-dropped-on-logout'
  | 'unread-dropped-on-replacement'
  | 'returned-unread-from-any-region'
  | 'user-server-verifies-host-header'
  | 'any-digest-algorithm'
  | 'malformed-signature-as-bad-signature'
  | 'short-nonce-accepted'
  | 'get-body-unlimited'
  | 'bosh-no-cors'
  | 'websocket-get-unrouted'
  | 'lease-codes-passed-to-client'
  | 'delivered-before-sign-on'
  | 'duplicate-before-sender-check'
  | 'lapsed-region-answers-lease-expired'
  | 'acknowledged-ids-in-memory'
  | 'gateway-needs-directed-presence'
  | 'gateway-resubscribes-friends'
  | 'gateway-no-roster-push-on-accept'
  | 'gateway-ignores-disco-node'
  | 'subscribe-without-nick'
  | 'region-reuses-nonces'
  | 'bearer-matched-by-prefix'
  | 'region-repeats-notices'
  | 'region-repeats-group-messages'
  | 'region-stores-without-retry'
  | 'region-gives-up-on-internal'
  | 'region-retries-any-refusal'
  | 'region-drops-after-second-not-here'
  | 'gateway-message-without-active'
  | 'gateway-stored-message-undated'
  | 'gateway-no-origin-id'
  | 'chat-state-not-relocated'
  | 'region-hides-not-here'

/** No faults: what every production path uses. */
export const NO_FAULTS: ReadonlySet<Fault> = new Set()
