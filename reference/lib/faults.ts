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
 * - `redelivered-duplicate-dropped`: a region that answers the user server's redelivery of a stored message it already
 *   holds (from a sign-on) `duplicate` still takes the message for one the user server keeps, and drops it when the
 *   session ends unread, though the user server deleted it on that answer (breaks GRIDIM-OFFL-11).
 * - `returned-unread-from-any-region`: the user server stores messages returned for a session by a region
 *   that never hosted it (breaks GRIDIM-OFFL-12).
 * - `user-server-verifies-host-header`: the user server forms `@target-uri` from the request's Host header,
 *   not its own base URL, so a request signed for another host and sent with that Host verifies (breaks GRIDIM-SEC-4).
 * - `any-digest-algorithm`: a Content-Digest with any one matching active algorithm (say sha-512 alone) is
 *   accepted without a sha-256 (breaks GRIDIM-SEC-2 and GRIDIM-SEC-15).
 * - `malformed-signature-as-bad-signature`: a signature missing alg, created, keyid or nonce, or a required
 *   component, is refused with bad-signature instead of unauthenticated (breaks GRIDIM-SEC-5 and GRIDIM-SEC-17).
 * - `short-nonce-accepted`: any non-empty nonce is accepted, even one character (breaks GRIDIM-SEC-16).
 * - `long-nonce-accepted`: a nonce of 22 base64url characters or more is accepted however long, not only up to
 *   128 (breaks GRIDIM-SEC-16).
 * - `nonce-forgotten-after-created`: a receiver remembers a nonce only until its `created` second, not for the
 *   replay window, so a request replayed a second or more later is accepted again (breaks GRIDIM-SEC-5).
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
 * - `gateway-answers-later-offers`: the gateway looks up the offer a `subscribed` or `unsubscribed` answers once it
 *   has resolved the addressee, not as the stanza arrived, so an answer that waited (a server's auto-reply to an
 *   earlier `unsubscribe`) accepts or declines an offer made meanwhile (breaks GRIDIM-XMPP-63).
 * - `gateway-reads-offers-when-handled`: the gateway notes the offers a client's `subscribed` or `unsubscribed` can
 *   answer when it starts handling the stanza, not when the stream hands it over, so one queued behind the client's
 *   earlier stanzas answers an offer made meanwhile (breaks GRIDIM-XMPP-63).
 * - `gateway-answers-answered-offers`: a client's `unsubscribed` right after its `subscribed` declines the offer the
 *   `subscribed` has just accepted (and is refused `unknown-offer`) instead of ending the new friendship (breaks
 *   GRIDIM-XMPP-63).
 *
 * Region and client-interface faults of the classes a third party's region slipped through (issue 14):
 * - `region-reuses-nonces`: a region checks `created` but remembers no nonce, so a request replayed
 *   within the window is accepted again (breaks GRIDIM-SEC-5).
 * - `resend-same-signature`: a region that sends a request again on a new connection, because a kept-alive one
 *   turned out closed, sends it with the first one's headers, signature and nonce, which the receiver may have
 *   accepted already (breaks GRIDIM-SEC-18).
 * - `bearer-matched-by-prefix`: a region compares a bearer secret only over the length presented, so a
 *   truncated secret authenticates as the session (breaks GRIDIM-CLI-2).
 * - `region-repeats-notices`: a region appends a notice it has already acted on again, not recognising
 *   the repeated `noticeId` (breaks GRIDIM-SIGN-19).
 * - `region-repeats-group-messages`: a region appends a repeated group message again for a member whose
 *   log already holds its `messageId` (breaks GRIDIM-GRP-21).
 * - `region-group-repeat-ignores-session`: a region takes a group message for a repeat when the member's log
 *   holds its `messageId` from another session, so a client's one stanza id in two rooms reaches a member
 *   of both once (breaks GRIDIM-GRP-21).
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
 * - `gateway-chat-state-in-message-not-counted`: a chat state an XMPP user sends inside a message with a body does not
 *   count as the user's having sent a chat state, so the gateway sends that user no standalone chat state (breaks GRIDIM-XMPP-33).
 * - `muc-self-presence-no-210`: the self-presence the gateway sends an XMPP user who joins a room carries status code
 *   110 but not 210, though the room always sets the nick to the user's name (breaks GRIDIM-XMPP-36).
 * - `closed-room-join-as-gone`: a join of the room of a group session that has closed is answered with the user server's
 *   `group-session-closed`, the presence error `gone`, not `item-not-found` (breaks GRIDIM-XMPP-37).
 * - `gateway-direct-delivery-not-deduplicated`: the gateway hands a message for a foreign user who is not signed on
 *   to the Jabber server each time it comes, answering a repeated messageId `delivered` and sending it again (breaks GRIDIM-IM-14).
 * - `gateway-direct-path-no-sender-check`: the gateway hands a region's message for a foreign user who is not signed on
 *   to the Jabber server without checking that the signing region hosts `fromUserId` (breaks GRIDIM-IM-10).
 * - `chat-state-not-relocated`: a region that meets `agent-not-here` relaying a chat state forgets the
 *   location and gives up, with no fresh lookup and no second attempt (breaks GRIDIM-IM-18).
 * - `bosh-unknown-sid-bad-request`: the gateway answers a BOSH request naming an unknown sid with `bad-request`,
 *   as if the body were malformed, so a client retries instead of starting afresh (breaks GRIDIM-XMPP-11).
 * - `bosh-restricted-xml-as-bad-request`: a BOSH body with a document type declaration is refused like any
 *   body that does not parse, `bad-request`, without the `<restricted-xml/>` stream error (breaks GRIDIM-XMPP-43).
 * - `gateway-roster-full-jids`: the roster result names each friend by the full address its presence comes
 *   from (`…/grid`), not the bare JID roster items carry (breaks GRIDIM-XMPP-13).
 * - `gateway-no-roster-push-on-end`: when a friendship of an IM-only user ends the gateway sends the
 *   subscription stanzas but no roster push, so the friend stays in the client's roster (breaks GRIDIM-XMPP-14).
 * - `gateway-replaced-stream-closed-plainly`: when a newer sign-on replaces an IM-only user's stream, the gateway
 *   closes the older one as if the client had ended it, with no `<conflict/>` stream error, so the app
 *   reconnects at once and the two apps replace each other for ever (breaks GRIDIM-XMPP-9).
 * - `websocket-xml-comments-skipped`: the gateway's WebSocket transport drops XML comments before parsing a frame,
 *   as a lenient parser does, and acts on the stanza instead of ending the stream (breaks GRIDIM-XMPP-43 and -46).
 * - `region-ignores-retry-after`: a region retries a peer's 503 or 429 after its own short back-off, sooner than
 *   the answer's `Retry-After` asks (breaks GRIDIM-IM-5).
 * - `region-unknown-code-as-final`: a region takes a peer's problem whose code it does not know as a final
 *   refusal, whatever its status: a 503 with a newer code is neither retried nor stored (breaks GRIDIM-ERR-3).
 * - `region-upper-case-message-ids`: a region writes the messageIds it creates in upper case (breaks GRIDIM-ID-1;
 *   only checking the traffic against the contract sees it).
 * - `region-time-based-message-ids`: a region creates messageIds as version 1, time-based UUIDs (breaks GRIDIM-ID-2).
 * - `region-timestamps-with-offset`: a region writes a message's `sentAt` with the offset `+00:00` instead of `Z`
 *   (breaks GRIDIM-ID-12).
 * - `problems-as-plain-json`: error answers carry the media type `application/json`, a framework's default, not
 *   `application/problem+json` (breaks GRIDIM-ROLE-6 and GRIDIM-ERR-1).
 * - `head-as-unknown-operation`: a role answers HEAD at the path of a GET operation with 404 unknown-operation, as a
 *   router that matches methods exactly does (breaks GRIDIM-ERR-14).
 * - `body-limit-before-routing`: a role measures every request's body before routing it, so a request to no
 *   operation with a large body is answered 413 body-too-large, not unknown-operation (breaks GRIDIM-ERR-13).
 * - `repeated-notice-not-accepted`: a region leaves a repeated notice out of the `accepted` of its deliverNotices
 *   answer, counting only notices it acts on anew (breaks GRIDIM-SIGN-24).
 * - `stack-in-5xx`: a 5xx answer carries the error's stack trace as its `detail`, as a framework's development mode
 *   does (breaks GRIDIM-ERR-6).
 * - `shutdown-signs-agents-off`: a region that shuts down in an orderly way calls signOff for each of its agents
 *   before it ends its lease (breaks GRIDIM-LEASE-13).
 * - `handover-log-dropped`: a region forgets a session as soon as it has handed the agent over, so the client
 *   cannot finish reading the events appended before (breaks GRIDIM-CLI-21).
 * - `teleport-to-lapsed-region-unavailable`: a region answers a teleport to a region that is provisioned but holds no
 *   current lease with `unavailable`, as if it were down for a while, not `unknown-region` (breaks GRIDIM-ERR-2).
 * - `event-ids-share-a-tick`: a region takes an event's id from the clock alone, so two events appended in one
 *   millisecond share an id, and reading after the first skips the second (breaks GRIDIM-CLI-6).
 * - `held-answer-cut-as-idle`: a role closes a connection whose answer is not finished within its idle timeout,
 *   counting a long poll it holds as an idle connection (breaks GRIDIM-LIM-20).
 * - `long-poll-held-for-wait`: a region holds a long poll with nothing to return for its whole `wait`, not
 *   listening for events appended meanwhile (breaks GRIDIM-CLI-9).
 * - `session-end-leaves-polls`: when a session ends, its pending long polls wait out their `wait` and its
 *   event streams stay open (breaks GRIDIM-CLI-16).
 * - `stream-ack-ignored`: a region takes a client stream's `ack` frame and acknowledges nothing (breaks GRIDIM-CLI-38).
 * - `stream-dedupe-per-connection`: a region remembers the messageIds of a client stream per connection,
 *   not per session, so a message resent on a new stream after a reconnect goes out again (breaks GRIDIM-CLI-39).
 * - `stream-result-wrong-ref`: a region answers a client stream's request with the ref of the latest
 *   request frame rather than its own (breaks GRIDIM-CLI-39).
 * - `stream-hello-after-ignored`: a region starts every client stream with all retained events, whatever
 *   the hello's `after` (breaks GRIDIM-CLI-37).
 * - `stream-session-end-leaves-open`: a region leaves a client stream open, silent, when its session ends (breaks GRIDIM-CLI-40).
 * - `stream-close-not-activity`: a region counts the close of a client stream as no activity, so a client that closes
 *   its last stream after holding it open longer than `clientIdleSeconds` is signed off as idle at once (breaks GRIDIM-CLI-41).
 * - `stream-hello-accepts-handed-over`: a region takes a client stream's `hello` with the secret of a session it has
 *   handed over, within the read window, as one it hosts, and sends `ready` (breaks GRIDIM-CLI-35).
 * - `client-rate-limit-below-floor`: a region refuses a client session's requests beyond 5 in a second with
 *   `rate-limited` (breaks GRIDIM-LIM-13).
 * - `rate-limited-without-retry-after`: a region refuses a client session's requests beyond 20 in a second with
 *   `rate-limited` and no Retry-After header (breaks GRIDIM-LIM-12).
 * - `client-idle-not-reset-by-poll`: a region counts only other requests than `clientListEvents` as a
 *   client's activity, so a client that only reads is signed off as idle (breaks GRIDIM-CLI-32).
 * - `unread-dropped-on-idle`: a region deletes what a session left unread when it signs the agent off as idle
 *   (breaks GRIDIM-SIGN-21).
 * - `handover-unread-kept`: a region keeps what a handed-over session left unread when its read window closes,
 *   returning nothing (breaks GRIDIM-CLI-24).
 * - `keep-alive-ignores-directory`: a region sends event-stream comments every 15 s whatever the directory's
 *   `keepAliveSeconds` says (breaks GRIDIM-CLI-15 and GRIDIM-LIM-27).
 * - `region-hides-not-here`: a region answers notices and group messages as if it hosted every addressee:
 *   nobody in `notHere`, a group member it does not host in `delivered` (breaks GRIDIM-SIGN-18 and GRIDIM-GRP-21).
 * - `cache-kept-after-offline-presence`: a region keeps its cached location for a user after a `presence` notice
 *   with status `offline` about that user, and sends the next message to the region the user left (breaks GRIDIM-LOC-5).
 * - `rights-change-keeps-learned-visibility`: a `rightsChanged` notice updates the friend row but not the CanSeeOnline
 *   an earlier `locateUser` gave, which goes on deciding message outcomes (breaks GRIDIM-IM-16).
 *
 * The gateway's component link, faults a Jabber server that breaks, silences or refuses the link shows (issue 14):
 * - `component-keeps-silent-link`: the gateway pings a silent link but never gives up on it when the ping goes
 *   unanswered, so it stays "linked" to a server that hears nothing (breaks GRIDIM-XMPP-2).
 * - `component-backoff-not-reset`: the reconnection delay keeps growing from where the last outage left it,
 *   never returning to the start after a successful handshake (breaks GRIDIM-XMPP-3).
 * - `component-gives-up-on-any-stream-error`: every stream error at the handshake (a server shutting down, say)
 *   is taken for a configuration refusal, and the gateway never links again (breaks GRIDIM-XMPP-3).
 * - `component-forgets-unacked-messages`: message stanzas written to a link that failed before a ping proved
 *   them delivered are not resent after the link is re-established (breaks GRIDIM-XMPP-4).
 * - `gateway-queues-while-link-down`: a delivery for a foreign user while the link is down is answered
 *   `delivered` and kept in memory for the next link, instead of `unavailable` (breaks GRIDIM-XMPP-5).
 * - `component-retries-refused-handshake`: a handshake refused with `not-authorized` or `host-unknown` is
 *   retried with back-off, for ever (breaks GRIDIM-XMPP-59).
 * - `gateway-starts-without-link`: a gateway whose handshake is refused while it starts logs a warning and
 *   runs on without a link (breaks GRIDIM-XMPP-59).
 * - `gateway-drops-server-stanzas`: a stanza from the Jabber server's own address (no localpart) is dropped
 *   unanswered (breaks GRIDIM-XMPP-60).
 * - `gateway-domain-unchecked`: the gateway starts without comparing its domain with the user server's
 *   `gatewayDomain` (breaks GRIDIM-XMPP-58).
 * - `group-session-regions-to-client`: a region answers clientStartGroupSession and clientJoinGroupSession with the
 *   user server's GroupSession as it came, `regions` and all, telling its client where every member is
 *   (breaks GRIDIM-PRES-5).
 * Faults only a broken link shows (issue 14: the runner's proxy between roles):
 * - `unreachable-user-server-as-stored`: a region that cannot reach the user server answers the client
 *   `stored`, meaning to store the message later, and keeps nothing (breaks GRIDIM-IM-8).
 * - `unreachable-user-server-no-delivery-failed`: a region appends deliveryFailed only for refusals of the
 *   recipient's region; a user server it cannot reach gets the client a 503 and no event (breaks GRIDIM-CLI-18).
 * - `not-here-while-signing-on`: a region hosts a user only once the user server has answered its signOn; a
 *   message that arrives in between is refused `agent-not-here` (breaks GRIDIM-SIGN-5).
 * - `delivered-after-failed-sign-on`: a region answers `delivered` for a message that waited for a sign-on which then
 *   failed, so the sender stores nothing and nobody ever reads it (breaks GRIDIM-SIGN-22).
 * - `problem-detail-on-5xx`: a 5xx problem carries its cause as `detail` — for a user server a region could not
 *   reach, "locateUser to HOST:PORT failed: …", the address of a service the client never talks to (breaks GRIDIM-ERR-6).
 * - `peer-silence-awaited-30s`: a region waits 30 seconds for the answer to a deliverInstantMessage before it takes
 *   the silence as a transient failure (breaks GRIDIM-LIM-16).
 * - `batch-results-misaligned`: a region answers a deliverInstantMessages with the delivered messages' results
 *   first and the refusals after, not in the request's order (breaks GRIDIM-IM-26).
 * - `batch-reordered`: a region works a deliverInstantMessages off from its last message to its first, so a
 *   pair's later message is shown before its earlier one (breaks GRIDIM-IM-27).
 * - `batch-continues-after-pair-failure`: a region delivers a message of a batch after an earlier message of
 *   the same pair in that batch was refused (breaks GRIDIM-IM-27).
 * - `batch-partial-failure-stored-twice`: a sending region that gets a batch answered with a final refusal for one
 *   message stores every message of that batch at the user server, the delivered ones too (breaks GRIDIM-IM-30).
 * - `region-retries-once`: a region retries a transient failure of the recipient's region once, not at least
 *   twice, and then stores the message (breaks GRIDIM-IM-5).
 * Faults the second mutation hunt found the suite missing (issue 14):
 * - `handover-confirmed-for-any-user`: confirmHandover confirms a hand-over whatever `userId` it names, so long as
 *   that user exists, not only the user the session belongs to (breaks GRIDIM-LOC-16).
 * - `end-lease-without-lease`: the user server lets a region without a current lease call `endRegionLease`, as it
 *   does `renewRegionLease`, and answers 204 (breaks GRIDIM-LEASE-7).
 * - `settings-max-refused`: adminUpdateSettings refuses the top value of each setting's range as out of range
 *   (breaks GRIDIM-LIM-14).
 * - `unknown-keyid-remembered`: a region remembers a keyid the directory did not know as unknown, and refuses it
 *   with `unknown-key` without asking again, so a region provisioned after its first request stays refused
 *   (breaks GRIDIM-SEC-7).
 * - `sse-last-event-id-not-ack`: a region resumes a clientStreamEvents stream after its Last-Event-ID but does not
 *   take the header as the client's acknowledgement, so what it read past stays unread (breaks GRIDIM-CLI-10).
 * - `stream-refusal-plain-json`: a region refuses a client-stream handshake with problem details labelled
 *   application/json, not application/problem+json (breaks GRIDIM-ERR-1).
 * - `sse-served-as-text-plain`: a region serves clientStreamEvents as text/plain, which no server-sent events client
 *   takes for an event stream (breaks GRIDIM-ROLE-6).
 */
export type Fault =
  | 'sse-last-event-id-not-ack'
  | 'stream-refusal-plain-json'
  | 'sse-served-as-text-plain'
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
  | 'redelivered-duplicate-dropped'
  | 'returned-unread-from-any-region'
  | 'user-server-verifies-host-header'
  | 'any-digest-algorithm'
  | 'malformed-signature-as-bad-signature'
  | 'short-nonce-accepted'
  | 'long-nonce-accepted'
  | 'nonce-forgotten-after-created'
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
  | 'gateway-answers-later-offers'
  | 'gateway-reads-offers-when-handled'
  | 'gateway-answers-answered-offers'
  | 'region-reuses-nonces'
  | 'resend-same-signature'
  | 'bearer-matched-by-prefix'
  | 'region-repeats-notices'
  | 'region-repeats-group-messages'
  | 'region-group-repeat-ignores-session'
  | 'region-stores-without-retry'
  | 'region-gives-up-on-internal'
  | 'region-retries-any-refusal'
  | 'region-drops-after-second-not-here'
  | 'gateway-message-without-active'
  | 'gateway-stored-message-undated'
  | 'gateway-no-origin-id'
  | 'gateway-chat-state-in-message-not-counted'
  | 'closed-room-join-as-gone'
  | 'muc-self-presence-no-210'
  | 'gateway-direct-delivery-not-deduplicated'
  | 'gateway-direct-path-no-sender-check'
  | 'chat-state-not-relocated'
  | 'region-hides-not-here'
  | 'cache-kept-after-offline-presence'
  | 'rights-change-keeps-learned-visibility'
  | 'bosh-unknown-sid-bad-request'
  | 'bosh-restricted-xml-as-bad-request'
  | 'gateway-roster-full-jids'
  | 'gateway-no-roster-push-on-end'
  | 'gateway-replaced-stream-closed-plainly'
  | 'websocket-xml-comments-skipped'
  | 'region-ignores-retry-after'
  | 'region-unknown-code-as-final'
  | 'region-upper-case-message-ids'
  | 'region-time-based-message-ids'
  | 'region-timestamps-with-offset'
  | 'problems-as-plain-json'
  | 'head-as-unknown-operation'
  | 'body-limit-before-routing'
  | 'repeated-notice-not-accepted'
  | 'stack-in-5xx'
  | 'shutdown-signs-agents-off'
  | 'handover-log-dropped'
  | 'teleport-to-lapsed-region-unavailable'
  | 'event-ids-share-a-tick'
  | 'component-keeps-silent-link'
  | 'component-backoff-not-reset'
  | 'component-gives-up-on-any-stream-error'
  | 'component-forgets-unacked-messages'
  | 'gateway-queues-while-link-down'
  | 'component-retries-refused-handshake'
  | 'gateway-starts-without-link'
  | 'gateway-drops-server-stanzas'
  | 'gateway-domain-unchecked'
  | 'held-answer-cut-as-idle'
  | 'long-poll-held-for-wait'
  | 'session-end-leaves-polls'
  | 'stream-ack-ignored'
  | 'stream-dedupe-per-connection'
  | 'stream-result-wrong-ref'
  | 'stream-hello-after-ignored'
  | 'stream-session-end-leaves-open'
  | 'stream-close-not-activity'
  | 'stream-hello-accepts-handed-over'
  | 'client-rate-limit-below-floor'
  | 'rate-limited-without-retry-after'
  | 'client-idle-not-reset-by-poll'
  | 'unread-dropped-on-idle'
  | 'handover-unread-kept'
  | 'keep-alive-ignores-directory'
  | 'group-session-regions-to-client'
  | 'unreachable-user-server-as-stored'
  | 'unreachable-user-server-no-delivery-failed'
  | 'not-here-while-signing-on'
  | 'peer-silence-awaited-30s'
  | 'delivered-after-failed-sign-on'
  | 'problem-detail-on-5xx'
  | 'batch-results-misaligned'
  | 'batch-reordered'
  | 'batch-continues-after-pair-failure'
  | 'batch-partial-failure-stored-twice'
  | 'region-retries-once'
  | UserServerFault

/**
 * Faults of the user server, over the chapters it owns (identifiers, sign-on, presence and
 * friendship, leases, offline messages, group sessions, limits, errors): bugs a user server
 * written from the spec plausibly has.
 * - `self-friendship-offer-accepted`: an offer whose offeree is the offerer is created like any other (breaks GRIDIM-FRND-3).
 * - `repeated-offer-creates-another`: an offer repeated while one is pending creates a second offer, 201 (breaks GRIDIM-FRND-4).
 * - `offer-answered-by-anyone`: an offer may be accepted or declined by any user, not only the offeree (breaks GRIDIM-FRND-6).
 * - `declined-offer-kept`: a decline tells the offerer but leaves the offer pending, so it can still be accepted (breaks GRIDIM-FRND-9).
 * - `accept-grants-all-rights`: an accepted offer grants CanSeeOnline and CanSeeOnMap both ways (rights 3), as some
 *   viewers' defaults do, instead of exactly CanSeeOnline (breaks GRIDIM-FRND-8).
 * - `pending-offers-not-renotified`: a sign-on tells the user of no offer still pending; offers made while the user
 *   was online are forgotten (breaks GRIDIM-SIGN-7).
 * - `set-rights-authority-before-existence`: setFriendRights checks that the signing region hosts the user before
 *   that the friend exists, so a region that does not host the user, naming a friend who does not exist, is answered
 *   `not-your-agent` instead of `unknown-user` (breaks GRIDIM-ERR-7).
 * - `not-friends-as-forbidden`: setFriendRights and endFriendship between users who are not friends are refused with
 *   `forbidden` (an authority failure) instead of `not-friends` (breaks GRIDIM-FRND-11).
 * - `friendship-end-not-notified`: endFriendship removes the friendship but tells the former friend nothing (breaks GRIDIM-FRND-12).
 * - `unknown-name-as-unknown-user`: signOn answers an unknown name with `unknown-user`, which tells a guesser which
 *   names exist, instead of `invalid-credentials` (breaks GRIDIM-SIGN-2).
 * - `sign-on-page-unbounded`: signOn returns every stored message, however many, instead of a page of at most 50
 *   (breaks GRIDIM-LIM-10).
 * - `sign-on-without-lease`: signOn checks the signature but not the signing region's lease (breaks GRIDIM-LEASE-7).
 * - `lease-kind-unchecked`: renewRegionLease takes the `kind` a region claims without comparing it with the kind it was
 *   provisioned with (breaks GRIDIM-LEASE-2).
 * - `group-session-kept-with-one-member`: a group session is closed only when its last member leaves, not when one
 *   member is left (breaks GRIDIM-GRP-11).
 * - `group-destinations-counts-members`: sendGroupMessage answers with the number of members as `destinations`
 *   instead of the number of destination regions it forwarded to (breaks GRIDIM-GRP-14).
 * - `group-repeat-key-ignores-session`: sendGroupMessage recognises a repeat by its `messageId` alone, not per session,
 *   so a message whose `messageId` another session has seen (an XMPP stanza id sent to two rooms) gets that session's
 *   answer and is forwarded nowhere (breaks GRIDIM-GRP-15).
 * - `group-body-counted-in-chars`: sendGroupMessage measures the body in characters, not bytes of UTF-8, so a body of
 *   at most 1023 characters but more than 1023 bytes is accepted and forwarded (breaks GRIDIM-LIM-1).
 * - `session-id-reused`: a sign-on that replaces a session keeps the earlier session's id, refreshing the session
 *   in place, so the earlier id names the new session (breaks GRIDIM-ID-3).
 * - `sign-on-presence-ignores-rights`: a sign-on is announced to every reachable friend, also to those the user
 *   grants no CanSeeOnline (breaks GRIDIM-PRES-1 and GRIDIM-SIGN-6).
 * - `friend-rows-rights-reversed`: friend rows (signOn, listFriends) show `online` when the listing user grants
 *   CanSeeOnline, not when the friend does (breaks GRIDIM-PRES-2).
 * - `group-session-closed-unchecked`: operations on a closed group session go ahead as on an open one (breaks GRIDIM-GRP-23).
 * - `move-announced-to-friends`: an updateLocation is told to the user's friends as a sign-off and a sign-on, an
 *   `offline` and an `online` presence notice (breaks GRIDIM-LOC-9).
 * - `unread-batch-capped`: returnUnreadMessages refuses a body over 16 KiB with `body-too-large`, a per-route cap below
 *   the 65 536 bytes every role must accept (breaks GRIDIM-LIM-4).
 * - `group-session-member-cap`: startGroupSession refuses a session of more than 64 members with `invalid-request`
 *   (breaks GRIDIM-LIM-7).
 * - `end-lease-keeps-sessions`: endRegionLease answers 204 but ends nothing; the region's sessions wait for the
 *   lease to lapse (breaks GRIDIM-LEASE-10).
 * - `end-lease-keeps-lease-current`: endRegionLease ends the region's sessions but leaves its lease current, so the
 *   region's next requests are served as before (breaks GRIDIM-LEASE-10).
 * - `second-session-per-group`: startGroupSession for a group whose session is open opens another (breaks GRIDIM-GRP-5).
 * - `acknowledged-count-listed`: acknowledgeOfflineMessages answers with the number of ids listed, not the number
 *   it deleted (breaks GRIDIM-OFFL-7).
 * - `group-message-from-non-member`: sendGroupMessage (and every membership check) lets a user who is not a member
 *   through (breaks GRIDIM-GRP-12).
 * - `offline-page-newest-first`: signOn returns its page of stored messages newest first (breaks GRIDIM-OFFL-5).
 * - `offline-store-friends-only`: storeOfflineMessage refuses with `not-friends` a message between users who are not
 *   friends (breaks GRIDIM-OFFL-3).
 * - `rights-change-without-presence`: removing CanSeeOnline sends the friend `rightsChanged` but no `offline`
 *   presence, so the friend sees the user online until the next sign-on (breaks GRIDIM-PRES-6).
 * - `group-idle-not-reset-by-message`: an accepted group message does not count as activity, so a busy
 *   session closes `groupIdleSeconds` after it opened (breaks GRIDIM-GRP-22).
 * - `group-idle-not-reset-by-join`: a (re)join does not count as activity either (breaks GRIDIM-GRP-22).
 * - `notices-held-to-combine`: the user server holds each batch of notices 3 seconds before it sends it, to
 *   combine it with the notices of later changes (breaks GRIDIM-SIGN-15).
 * - `lease-not-extended-by-renewal`: a renewal of a lease that is still current keeps its old `expiresAt`
 *   (records and answers it), so a live region that renews in time still lapses (breaks GRIDIM-LEASE-3).
 * - `not-here-notices-dropped`: the user server takes `notHere` of a deliverNotices answer as "offline now" and
 *   drops those users' notices, without looking up where they went (breaks GRIDIM-SIGN-17).
 * - `not-here-group-messages-dropped`: likewise for `notHere` of a deliverGroupMessage answer (breaks GRIDIM-GRP-18).
 * - `group-batch-newest-first`: the user server sends the group messages that waited for a region newest first, in
 *   one deliverGroupMessages (breaks GRIDIM-GRP-16).
 * - `group-forward-not-durable`: the user server answers sendGroupMessage having kept the deliveries in memory only,
 *   not in the group outbox, so a crash before the regions took them loses them (breaks GRIDIM-GRP-31). No flow
 *   catches it: the runner's restart-user-server is a graceful stop, and the embedded target's stopped server goes on
 *   delivering what it queued; reference/user-server/group-sessions/outbox.test.ts does.
 * - `offline-more-at-full-page`: signOn reports `moreOfflineMessages` whenever its page is full, without looking
 *   past it, so exactly a page's worth of stored messages is reported as more (breaks GRIDIM-SIGN-3).
 * - `acknowledge-ignores-recipient`: acknowledgeOfflineMessages deletes the listed ids whoever they are stored for,
 *   so a region can delete another user's stored messages (breaks GRIDIM-OFFL-7).
 * - `sign-on-friends-reachable-as-online`: signOn's friend rows show `online` for every friend reachable at a region,
 *   so a foreign friend who is not signed on, reachable at the gateway, shows online (breaks GRIDIM-SIGN-3).
 * - `replaced-session-keeps-group-membership`: a session replaced by a newer sign-on stays a member of its group
 *   sessions; only a sign-off or a lapsed or ended lease removes the user (breaks GRIDIM-GRP-10).
 * - `member-left-told-to-leaver`: the user server sends `groupSessionMemberLeft` to the member who left as well as
 *   to those remaining (breaks GRIDIM-GRP-17).
 * - `group-idle-not-reset-by-restart`: a startGroupSession that joins the group's open session does not count as
 *   activity, as a joinGroupSession does (breaks GRIDIM-GRP-22).
 */
export type UserServerFault =
  | 'self-friendship-offer-accepted'
  | 'repeated-offer-creates-another'
  | 'offer-answered-by-anyone'
  | 'declined-offer-kept'
  | 'accept-grants-all-rights'
  | 'pending-offers-not-renotified'
  | 'not-friends-as-forbidden'
  | 'set-rights-authority-before-existence'
  | 'friendship-end-not-notified'
  | 'unknown-name-as-unknown-user'
  | 'sign-on-page-unbounded'
  | 'sign-on-without-lease'
  | 'lease-kind-unchecked'
  | 'group-session-kept-with-one-member'
  | 'rights-change-without-presence'
  | 'group-destinations-counts-members'
  | 'group-repeat-key-ignores-session'
  | 'group-body-counted-in-chars'
  | 'session-id-reused'
  | 'sign-on-presence-ignores-rights'
  | 'friend-rows-rights-reversed'
  | 'group-session-closed-unchecked'
  | 'move-announced-to-friends'
  | 'unread-batch-capped'
  | 'group-session-member-cap'
  | 'end-lease-keeps-sessions'
  | 'end-lease-keeps-lease-current'
  | 'second-session-per-group'
  | 'acknowledged-count-listed'
  | 'group-message-from-non-member'
  | 'offline-page-newest-first'
  | 'offline-store-friends-only'
  | 'group-idle-not-reset-by-message'
  | 'group-idle-not-reset-by-join'
  | 'lease-not-extended-by-renewal'
  | 'notices-held-to-combine'
  | 'not-here-notices-dropped'
  | 'not-here-group-messages-dropped'
  | 'group-batch-newest-first'
  | 'group-forward-not-durable'
  | 'offline-more-at-full-page'
  | 'acknowledge-ignores-recipient'
  | 'sign-on-friends-reachable-as-online'
  | 'replaced-session-keeps-group-membership'
  | 'member-left-told-to-leaver'
  | 'group-idle-not-reset-by-restart'
  | 'handover-confirmed-for-any-user'
  | 'end-lease-without-lease'
  | 'settings-max-refused'
  | 'unknown-keyid-remembered'

/** No faults: what every production path uses. */
export const NO_FAULTS: ReadonlySet<Fault> = new Set()
