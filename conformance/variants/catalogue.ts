// The deliberate faults of reference/lib/faults.ts, each with the flow that must catch it and the
// requirement id the failed check must carry. The broken-variants-*.test.ts files run them by area,
// so that no one test file outlives tap's per-file timeout and two jobs share the work.
import type { Fault } from '../../reference/lib/faults.ts'

export type Area = 'grid' | 'wire' | 'client-interface' | 'client-stream' | 'peers' | 'links' | 'security' | 'xmpp' | 'xmpp-streams' | 'xmpp-link' | 'friendship' | 'presence' | 'sign-on-and-leases' | 'group-sessions'

export type Variant = {
  fault: Fault
  /** Which test file checks it. */
  area: Area
  flow: string
  requirement: string
  bug: string
  /** Set while the runner cannot catch the fault reliably yet: why not (the check runs as a todo). */
  gap?: string
  /** The run's client interface (`--client-interface`) for the flow: http unless stream. */
  clientInterface?: 'http' | 'stream'
}

export const variants: readonly Variant[] = [
  { fault: 'presence-to-friends-of-friends', area: 'grid', flow: 'x-b-never-sees-c', requirement: 'GRIDIM-PRES-3', bug: 'a user server that tells B C is online' },
  { fault: 'offline-store-drops-messages', area: 'grid', flow: 'x-offline-message-stored-until-acknowledged', requirement: 'GRIDIM-OFFL-5', bug: 'an offline store that drops messages' },
  { fault: 'offline-deleted-on-read', area: 'grid', flow: 'x-offline-message-stored-until-acknowledged', requirement: 'GRIDIM-OFFL-6', bug: 'an offline store that deletes messages on read' },
  { fault: 'no-retry-after-agent-not-here', area: 'grid', flow: 'x-stale-location-retried-once', requirement: 'GRIDIM-IM-4', bug: 'a region that never retries after agent-not-here' },
  {
    fault: 'cache-kept-after-offline-presence', area: 'grid',
    flow: 'x-offline-message-stored-until-acknowledged',
    requirement: 'GRIDIM-LOC-5',
    bug: 'a region that keeps a user\'s cached location after the user\'s offline presence'
  },
  {
    fault: 'group-forward-per-member', area: 'grid',
    flow: 'x-group-message-once-per-region',
    requirement: 'GRIDIM-GRP-13',
    bug: 'a user server that forwards a group message once per member'
  },
  { fault: 'region-accepts-unsigned', area: 'security', flow: 'x-unsigned-or-forged-request', requirement: 'GRIDIM-SEC-1', bug: 'a region that accepts an unsigned request' },
  { fault: 'lapsed-leases-ignored', area: 'grid', flow: 'x-region-dies', requirement: 'GRIDIM-LEASE-6', bug: 'a user server that keeps a lapsed region\'s agents online' },
  { fault: 'region-forgets-sent-ids', area: 'grid', flow: 'x-duplicate-send-deduplicated', requirement: 'GRIDIM-CLI-17', bug: 'a region that sends a repeated messageId again' },
  {
    fault: 'region-problem-status-as-text', area: 'wire',
    flow: 'x-stale-location-retried-once',
    requirement: 'GRIDIM-ERR-1',
    bug: 'a region whose agent-not-here problem gives its status as text'
  },
  {
    fault: 'gateway-ignores-can-see-online', area: 'xmpp',
    flow: 'x-xmpp-rights-honoured',
    requirement: 'GRIDIM-XMPP-24',
    bug: 'a gateway that shows a foreign friend a grid user who has not granted CanSeeOnline'
  },
  {
    fault: 'region-trusts-any-handover', area: 'security',
    flow: 'x-handover-bound-to-session',
    requirement: 'GRIDIM-LOC-12',
    bug: 'a region that hosts any agent handed over to it once locateUser places the user there'
  },
  {
    fault: 'handover-confirmed-twice', area: 'security',
    flow: 'x-handover-bound-to-session',
    requirement: 'GRIDIM-LOC-17',
    bug: 'a user server that confirms the same hand-over twice'
  },
  { fault: 'unread-dropped-on-logout', area: 'grid', flow: 'x-unread-returned-on-logout', requirement: 'GRIDIM-OFFL-11', bug: 'a region that drops what a session left unread at logout' },
  {
    fault: 'unread-dropped-on-replacement', area: 'grid',
    flow: 'x-unread-returned-on-replacement',
    requirement: 'GRIDIM-SIGN-20',
    bug: 'a region that drops what a replaced session left unread'
  },
  {
    fault: 'redelivered-duplicate-dropped', area: 'grid',
    flow: 'x-redelivered-duplicate-returned',
    requirement: 'GRIDIM-OFFL-11',
    bug: 'a region that drops at session end a stored message the user server redelivered and was told duplicate, as one the user server still holds'
  },
  {
    fault: 'returned-unread-from-any-region', area: 'grid',
    flow: 'x-unread-return-rules',
    requirement: 'GRIDIM-OFFL-12',
    bug: 'a user server that takes unread messages back from a region that never hosted the session'
  },
  {
    fault: 'user-server-verifies-host-header', area: 'security',
    flow: 'x-signature-profile-enforced',
    requirement: 'GRIDIM-SEC-4',
    bug: 'a user server that verifies @target-uri against the Host header'
  },
  { fault: 'any-digest-algorithm', area: 'security', flow: 'x-signature-profile-enforced', requirement: 'GRIDIM-SEC-2', bug: 'a receiver that accepts a Content-Digest with sha-512 only' },
  {
    fault: 'malformed-signature-as-bad-signature', area: 'security',
    flow: 'x-signature-profile-enforced',
    requirement: 'GRIDIM-SEC-17',
    bug: 'a receiver that answers a signature without alg, nonce or created with bad-signature'
  },
  { fault: 'short-nonce-accepted', area: 'security', flow: 'x-signature-profile-enforced', requirement: 'GRIDIM-SEC-16', bug: 'a receiver that accepts a one-character nonce' },
  { fault: 'long-nonce-accepted', area: 'security', flow: 'x-signature-profile-enforced', requirement: 'GRIDIM-SEC-16', bug: 'a receiver that accepts a nonce of 129 characters' },
  { fault: 'nonce-forgotten-after-created', area: 'security', flow: 'x-unsigned-or-forged-request', requirement: 'GRIDIM-SEC-5', bug: 'a receiver that remembers a nonce only until its created second, accepting a replay two seconds later' },
  { fault: 'get-body-unlimited', area: 'security', flow: 'x-malformed-http-refused', requirement: 'GRIDIM-LIM-3', bug: 'a role that answers a GET whose body is over 65 536 bytes' },
  { fault: 'bosh-no-cors', area: 'xmpp', flow: 'x-bosh-from-another-origin', requirement: 'GRIDIM-XMPP-56', bug: 'a gateway whose BOSH endpoint answers no CORS preflight and names no allowed origin' },
  {
    fault: 'websocket-get-unrouted', area: 'xmpp',
    flow: 'x-websocket-bad-handshake',
    requirement: 'GRIDIM-ERR-12',
    bug: 'a gateway that answers a GET of its WebSocket endpoint without Upgrade with 404'
  },
  {
    fault: 'lease-codes-passed-to-client', area: 'wire',
    flow: 'x-lease-lapse-ends-client-session',
    requirement: 'GRIDIM-LEASE-12',
    bug: 'a region that answers its client lease-expired after a lapse',
    gap: 'caught only when the request reaches the region before the region itself has noticed its lease lapsed (about 1 s after the user server is back); under load the region often notices first, so the catch is timing-dependent'
  },
  {
    fault: 'duplicate-before-sender-check', area: 'security',
    flow: 'x-duplicate-told-only-to-sender',
    requirement: 'GRIDIM-IM-24',
    bug: 'a region that tells any signer a messageId is known'
  },
  {
    fault: 'lapsed-region-answers-lease-expired', area: 'grid',
    flow: 'x-lapsed-region-answers-agent-not-here',
    requirement: 'GRIDIM-IM-25',
    bug: 'a region whose lease lapsed that answers a delivery lease-expired',
    gap: 'caught only when the request reaches the region before the region itself has noticed its lease lapsed (about 1 s after the user server is back); under load the region often notices first, so the catch is timing-dependent'
  },
  {
    fault: 'acknowledged-ids-in-memory', area: 'grid',
    flow: 'x-acknowledged-survives-restart',
    requirement: 'GRIDIM-OFFL-2',
    bug: 'a user server that forgets on restart which stored messages were acknowledged'
  },
  {
    fault: 'gateway-needs-directed-presence', area: 'xmpp',
    flow: 'x-xmpp-first-contact',
    requirement: 'GRIDIM-XMPP-47',
    bug: 'a gateway that refuses a Jabber user who has sent no presence to the gateway domain'
  },
  {
    fault: 'gateway-resubscribes-friends', area: 'xmpp',
    flow: 'x-xmpp-subscription-states',
    requirement: 'GRIDIM-XMPP-50',
    bug: 'a gateway that answers a friend\'s subscribe with subscribed and a new subscribe'
  },
  {
    fault: 'gateway-answers-later-offers', area: 'xmpp',
    flow: 'x-xmpp-answer-before-offer',
    requirement: 'GRIDIM-XMPP-63',
    bug: 'a gateway whose unsubscribed, sent before an offer was made, declines it once the gateway gets round to it'
  },
  {
    fault: 'gateway-reads-offers-when-handled', area: 'xmpp',
    flow: 'x-xmpp-answer-before-offer',
    requirement: 'GRIDIM-XMPP-63',
    bug: 'a gateway that notes the offers a client\'s unsubscribed can answer only once the client\'s earlier stanzas are handled'
  },
  {
    fault: 'gateway-answers-answered-offers', area: 'xmpp',
    flow: 'x-xmpp-answer-before-offer',
    requirement: 'GRIDIM-XMPP-63',
    bug: 'a gateway whose unsubscribed right after subscribed declines the offer just accepted instead of ending the friendship'
  },
  {
    fault: 'subscribe-without-nick', area: 'xmpp',
    flow: 'x-friendship-over-xmpp',
    requirement: 'GRIDIM-XMPP-62',
    bug: 'a gateway whose subscription requests carry no XEP-0172 nick'
  },
  {
    fault: 'gateway-no-roster-push-on-accept', area: 'xmpp',
    flow: 'x-xmpp-subscription-states',
    requirement: 'GRIDIM-XMPP-52',
    bug: 'a gateway that sends no roster push and no presence when an IM-only user accepts an offer'
  },
  // The user server's chapters (issue 14), in four areas of their own so that each test file stays within tap's timeout.
  { fault: 'self-friendship-offer-accepted', area: 'friendship', flow: 'x-friendship-on-the-grid', requirement: 'GRIDIM-FRND-3', bug: 'a user server that lets a user offer itself friendship' },
  { fault: 'repeated-offer-creates-another', area: 'friendship', flow: 'x-friendship-on-the-grid', requirement: 'GRIDIM-FRND-4', bug: 'a user server that creates a second offer while one is pending' },
  { fault: 'offer-answered-by-anyone', area: 'friendship', flow: 'x-friendship-on-the-grid', requirement: 'GRIDIM-FRND-6', bug: 'a user server that lets anyone accept an offer' },
  { fault: 'declined-offer-kept', area: 'friendship', flow: 'x-friendship-on-the-grid', requirement: 'GRIDIM-FRND-9', bug: 'a user server that keeps a declined offer pending' },
  { fault: 'accept-grants-all-rights', area: 'friendship', flow: 'x-friendship-on-the-grid', requirement: 'GRIDIM-FRND-8', bug: 'a user server that grants CanSeeOnMap too on acceptance' },
  { fault: 'pending-offers-not-renotified', area: 'friendship', flow: 'x-friendship-on-the-grid', requirement: 'GRIDIM-SIGN-7', bug: 'a user server that does not tell a signing-on user of pending offers' },
  { fault: 'set-rights-authority-before-existence', area: 'friendship', flow: 'x-not-your-agent', requirement: 'GRIDIM-ERR-7', bug: 'a user server that checks a setFriendRights caller\'s authority before the friend\'s existence' },
  { fault: 'not-friends-as-forbidden', area: 'friendship', flow: 'x-friendship-on-the-grid', requirement: 'GRIDIM-FRND-11', bug: 'a user server that answers a change between strangers with forbidden' },
  { fault: 'friendship-end-not-notified', area: 'friendship', flow: 'x-friendship-on-the-grid', requirement: 'GRIDIM-FRND-12', bug: 'a user server that does not tell the former friend of an ended friendship' },
  { fault: 'unknown-name-as-unknown-user', area: 'sign-on-and-leases', flow: 'x-region-lease-rules', requirement: 'GRIDIM-SIGN-2', bug: 'a user server that tells an unknown name from a wrong password at sign-on' },
  { fault: 'sign-on-page-unbounded', area: 'sign-on-and-leases', flow: 'x-offline-volume', requirement: 'GRIDIM-LIM-10', bug: 'a user server that returns every stored message at sign-on' },
  { fault: 'sign-on-without-lease', area: 'sign-on-and-leases', flow: 'x-region-lease-rules', requirement: 'GRIDIM-LEASE-7', bug: 'a user server that lets a region without a lease sign users on' },
  { fault: 'lease-kind-unchecked', area: 'sign-on-and-leases', flow: 'x-region-lease-rules', requirement: 'GRIDIM-LEASE-2', bug: 'a user server that leases a gateway as a region' },
  {
    fault: 'group-session-kept-with-one-member', area: 'group-sessions',
    flow: 'x-group-session-rules',
    requirement: 'GRIDIM-GRP-11',
    bug: 'a user server that keeps a group session open with one member'
  },
  {
    fault: 'rights-change-without-presence', area: 'presence',
    flow: 'x-rights-revoked-while-online',
    requirement: 'GRIDIM-PRES-6',
    bug: 'a user server that sends no offline presence when CanSeeOnline is revoked'
  },
  {
    fault: 'group-destinations-counts-members', area: 'group-sessions',
    flow: 'x-group-message-answer',
    requirement: 'GRIDIM-GRP-14',
    bug: 'a user server whose group message answer counts members, not destination regions'
  },
  {
    fault: 'group-session-regions-to-client', area: 'presence',
    flow: '12-b-opens-group-session',
    requirement: 'GRIDIM-PRES-5',
    bug: 'a region that tells its client which region hosts every member of a group session'
  },
  { fault: 'sign-on-presence-ignores-rights', area: 'presence', flow: 'x-presence-hidden-by-rights', requirement: 'GRIDIM-PRES-1', bug: 'a user server that announces a sign-on to a friend without CanSeeOnline' },
  { fault: 'friend-rows-rights-reversed', area: 'presence', flow: 'x-presence-hidden-by-rights', requirement: 'GRIDIM-PRES-2', bug: 'a user server whose friend rows read the rights the wrong way round' },
  {
    fault: 'rights-change-keeps-learned-visibility', area: 'presence',
    flow: 'x-rights-change-overrides-lookup',
    requirement: 'GRIDIM-IM-16',
    bug: 'a region whose message outcomes follow an earlier locateUser\'s canSeeOnline over a newer rightsChanged notice'
  },
  { fault: 'group-session-closed-unchecked', area: 'group-sessions', flow: 'a2-ad-hoc-session-like-group-session', requirement: 'GRIDIM-GRP-23', bug: 'a user server that accepts messages for a closed group session' },
  { fault: 'move-announced-to-friends', area: 'sign-on-and-leases', flow: 'x-region-lease-rules', requirement: 'GRIDIM-LOC-9', bug: 'a user server that tells friends of a move as an offline and an online' },
  { fault: 'unread-batch-capped', area: 'sign-on-and-leases', flow: 'x-unread-return-rules', requirement: 'GRIDIM-LIM-4', bug: 'a user server that refuses a returned batch of 63 000 bytes as too large' },
  { fault: 'group-session-member-cap', area: 'group-sessions', flow: 'x-group-session-of-a-hundred', requirement: 'GRIDIM-LIM-7', bug: 'a user server that caps group sessions at 64 members' },
  { fault: 'end-lease-keeps-sessions', area: 'sign-on-and-leases', flow: 'x-region-lease-rules', requirement: 'GRIDIM-LEASE-10', bug: 'a user server whose endRegionLease ends nothing' },
  { fault: 'end-lease-keeps-lease-current', area: 'sign-on-and-leases', flow: 'x-region-lease-rules', requirement: 'GRIDIM-LEASE-10', bug: 'a user server whose endRegionLease ends the sessions but leaves the lease current' },
  { fault: 'second-session-per-group', area: 'group-sessions', flow: 'x-group-session-rules', requirement: 'GRIDIM-GRP-5', bug: 'a user server that opens a second session for a group' },
  { fault: 'acknowledged-count-listed', area: 'sign-on-and-leases', flow: 'x-unread-return-rules', requirement: 'GRIDIM-OFFL-7', bug: 'a user server that counts acknowledged ids it did not delete' },
  { fault: 'group-message-from-non-member', area: 'group-sessions', flow: 'x-group-message-once-per-region', requirement: 'GRIDIM-GRP-12', bug: 'a user server that accepts a group message from a user who left' },
  { fault: 'group-repeat-key-ignores-session', area: 'group-sessions', flow: 'x-xmpp-same-id-in-two-rooms', requirement: 'GRIDIM-GRP-15', bug: 'a user server that takes the same messageId in another session for a repeat' },
  { fault: 'region-group-repeat-ignores-session', area: 'group-sessions', flow: 'x-xmpp-same-id-in-two-rooms', requirement: 'GRIDIM-GRP-21', bug: 'a region that takes the same messageId in another session for a repeat, for a member of both' },
  { fault: 'group-body-counted-in-chars', area: 'group-sessions', flow: 'x-group-message-bytes-at-user-server', requirement: 'GRIDIM-LIM-1', bug: 'a user server that counts a group message body in characters, not bytes' },
  { fault: 'offline-page-newest-first', area: 'sign-on-and-leases', flow: 'x-offline-volume', requirement: 'GRIDIM-OFFL-5', bug: 'a user server whose sign-on page of stored messages is newest first' },
  { fault: 'offline-more-at-full-page', area: 'sign-on-and-leases', flow: 'x-offline-full-page', requirement: 'GRIDIM-SIGN-3', bug: 'a user server that reports more stored messages at sign-on whenever its page is full' },
  { fault: 'acknowledge-ignores-recipient', area: 'sign-on-and-leases', flow: 'x-offline-acknowledged-for-own-user-only', requirement: 'GRIDIM-OFFL-7', bug: 'a user server that deletes, on acknowledgement, messages stored for another user' },
  { fault: 'sign-on-friends-reachable-as-online', area: 'presence', flow: 'x-foreign-friend-offline-at-sign-on', requirement: 'GRIDIM-SIGN-3', bug: 'a user server whose sign-on friend rows show a reachable foreign friend online though not signed on' },
  { fault: 'offline-store-friends-only', area: 'sign-on-and-leases', flow: 'x-b-never-sees-c', requirement: 'GRIDIM-OFFL-3', bug: 'a user server that stores offline messages only between friends' },
  { fault: 'session-id-reused', area: 'sign-on-and-leases', flow: 'x-sign-on-again-new-session', requirement: 'GRIDIM-ID-3', bug: 'a user server that keeps the sessionId when a user signs on again' },
  // Issue 14: the classes a third party's region slipped through — a replay within the window, a
  // wrong (not missing) bearer secret, repeats from the user server, peers that fail and recover,
  // and answers the reference never gives itself (a 500, an unknown code, agent-not-here twice).
  { fault: 'region-reuses-nonces', area: 'security', flow: 'x-unsigned-or-forged-request', requirement: 'GRIDIM-SEC-5', bug: 'a region that accepts a request replayed with the same nonce' },
  { fault: 'resend-same-signature', area: 'security', flow: 'x-request-sent-again-signed-anew', requirement: 'GRIDIM-SEC-18', bug: 'a region that sends a request again with the first one\'s signature and nonce' },
  { fault: 'bearer-matched-by-prefix', area: 'security', flow: 'x-unsigned-or-forged-request', requirement: 'GRIDIM-CLI-2', bug: 'a region that accepts a session secret cut short' },
  {
    fault: 'region-repeats-notices', area: 'peers',
    flow: 'x-user-server-retries-reach-users-once',
    requirement: 'GRIDIM-SIGN-19',
    bug: 'a region that shows a repeated notice again'
  },
  {
    fault: 'region-repeats-group-messages', area: 'peers',
    flow: 'x-user-server-retries-reach-users-once',
    requirement: 'GRIDIM-GRP-21',
    bug: 'a region that shows a repeated group message again'
  },
  { fault: 'region-ignores-retry-after', area: 'peers', flow: 'x-peer-asks-to-retry-later', requirement: 'GRIDIM-IM-5', bug: 'a region that retries a 503 or 429 sooner than its Retry-After asks' },
  { fault: 'region-unknown-code-as-final', area: 'peers', flow: 'x-peer-asks-to-retry-later', requirement: 'GRIDIM-ERR-3', bug: 'a region that takes a 503 with a code it does not know as a final refusal' },
  { fault: 'region-upper-case-message-ids', area: 'wire', flow: 'x-traffic-conforms', requirement: 'GRIDIM-ID-1', bug: 'a region that writes the messageIds it creates in upper case' },
  { fault: 'region-time-based-message-ids', area: 'wire', flow: 'x-traffic-conforms', requirement: 'GRIDIM-ID-2', bug: 'a region that creates messageIds as version 1 UUIDs' },
  { fault: 'region-timestamps-with-offset', area: 'wire', flow: 'x-traffic-conforms', requirement: 'GRIDIM-ID-12', bug: 'a region that writes sentAt with +00:00 instead of Z' },
  { fault: 'problems-as-plain-json', area: 'wire', flow: 'x-traffic-conforms', requirement: 'GRIDIM-ROLE-6', bug: 'roles that label problem details application/json' },
  { fault: 'head-as-unknown-operation', area: 'wire', flow: 'x-head-and-unknown-methods', requirement: 'GRIDIM-ERR-14', bug: 'roles that answer HEAD with unknown-operation' },
  { fault: 'body-limit-before-routing', area: 'wire', flow: 'x-head-and-unknown-methods', requirement: 'GRIDIM-ERR-13', bug: 'roles that measure a body before they know the request names no operation' },
  { fault: 'repeated-notice-not-accepted', area: 'peers', flow: 'x-user-server-retries-reach-users-once', requirement: 'GRIDIM-SIGN-24', bug: 'a region that leaves a repeated notice out of accepted' },
  { fault: 'stack-in-5xx', area: 'peers', flow: 'x-peer-fails-teleport', requirement: 'GRIDIM-ERR-6', bug: 'roles that answer a 5xx with the stack trace' },
  { fault: 'shutdown-signs-agents-off', area: 'sign-on-and-leases', flow: 'x-region-shuts-down', requirement: 'GRIDIM-LEASE-13', bug: 'a region that signs each agent off when it shuts down' },
  { fault: 'handover-log-dropped', area: 'client-interface', flow: 'x-handover-read-window', requirement: 'GRIDIM-CLI-21', bug: 'a region that forgets a session as soon as it has handed the agent over' },
  { fault: 'teleport-to-lapsed-region-unavailable', area: 'client-interface', flow: 'x-teleport-to-unleased-region', requirement: 'GRIDIM-ERR-2', bug: 'a region that answers a teleport to a region holding no current lease unavailable' },
  { fault: 'event-ids-share-a-tick', area: 'peers', flow: 'x-event-ids-order', requirement: 'GRIDIM-CLI-6', bug: 'a region whose events of one millisecond share an id' },
  { fault: 'region-stores-without-retry', area: 'peers', flow: 'x-peer-region-fails-then-recovers', requirement: 'GRIDIM-IM-5', bug: 'a region that stores a message at the first 503 instead of retrying' },
  { fault: 'region-gives-up-on-internal', area: 'peers', flow: 'x-peer-region-fails-then-recovers', requirement: 'GRIDIM-IM-5', bug: 'a region that takes a peer\'s 500 internal as final' },
  { fault: 'region-retries-once', area: 'peers', flow: 'x-peer-asks-to-retry-later', requirement: 'GRIDIM-IM-5', bug: 'a region that retries a transient failure once, not twice, and then stores the message' },
  {
    fault: 'region-retries-any-refusal', area: 'peers',
    flow: 'x-peer-region-fails-then-recovers',
    requirement: 'GRIDIM-IM-7',
    bug: 'a region that retries and stores a message refused with a code it does not know'
  },
  {
    fault: 'region-drops-after-second-not-here', area: 'peers',
    flow: 'x-peer-region-fails-then-recovers',
    requirement: 'GRIDIM-IM-4',
    bug: 'a region that gives up without storing when the retry is answered agent-not-here too'
  },
  // Stanza details the expectations did not look at before issue 14.
  { fault: 'gateway-message-without-active', area: 'xmpp', flow: 'x-im-only-user', requirement: 'GRIDIM-XMPP-27', bug: 'a gateway whose chat messages carry no <active/>' },
  { fault: 'gateway-stored-message-undated', area: 'xmpp', flow: 'x-xmpp-stored-message-dated', requirement: 'GRIDIM-XMPP-27', bug: 'a gateway that sends a stored message with no <delay/>' },
  {
    fault: 'group-batch-newest-first', area: 'group-sessions',
    flow: 'x-batch-group-messages-wait-for-link',
    requirement: 'GRIDIM-GRP-16',
    bug: 'a user server that sends the group messages that waited for a region newest first'
  },
  {
    fault: 'batch-results-misaligned', area: 'peers',
    flow: 'x-batch-received-in-order',
    requirement: 'GRIDIM-IM-26',
    bug: 'a region that lists the results of a batch delivered first and refused after, not in the request\'s order'
  },
  {
    fault: 'batch-reordered', area: 'peers',
    flow: 'x-batch-received-in-order',
    requirement: 'GRIDIM-IM-27',
    bug: 'a region that works a batch off from its last message to its first'
  },
  {
    fault: 'batch-continues-after-pair-failure', area: 'peers',
    flow: 'x-batch-received-in-order',
    requirement: 'GRIDIM-IM-27',
    bug: 'a region that delivers a message of a batch after an earlier one of the same pair was refused'
  },
  {
    fault: 'batch-partial-failure-stored-twice', area: 'peers',
    flow: 'x-batch-sent-while-link-busy',
    requirement: 'GRIDIM-IM-30',
    bug: 'a sending region that stores every message of a batch in which one message was refused, the delivered ones too'
  },
  {
    fault: 'region-hides-not-here', area: 'peers',
    flow: 'x-user-server-retries-reach-users-once',
    requirement: 'GRIDIM-SIGN-18',
    bug: 'a region that names nobody in notHere'
  },
  {
    fault: 'chat-state-not-relocated', area: 'peers',
    flow: 'x-peer-region-fails-then-recovers',
    requirement: 'GRIDIM-IM-18',
    bug: 'a region that gives up on a chat state at the first agent-not-here'
  },
  { fault: 'gateway-no-origin-id', area: 'xmpp', flow: 'x-xmpp-stored-message-dated', requirement: 'GRIDIM-XMPP-27', bug: 'a gateway whose chat messages carry no <origin-id/>' },
  { fault: 'gateway-chat-state-in-message-not-counted', area: 'xmpp', flow: 'x-xmpp-chat-state-with-message', requirement: 'GRIDIM-XMPP-33', bug: 'a gateway that sends no chat state to an XMPP user whose chat states came inside messages' },
  { fault: 'closed-room-join-as-gone', area: 'xmpp', flow: 'x-xmpp-group-room', requirement: 'GRIDIM-XMPP-37', bug: 'a gateway that answers a join of a closed group session\'s room with gone, not item-not-found' },
  { fault: 'muc-self-presence-no-210', area: 'xmpp', flow: '12x-d-joins-group-session-room', requirement: 'GRIDIM-XMPP-36', bug: 'a gateway whose self-presence to a joining occupant carries 110 but not 210' },
  { fault: 'gateway-direct-delivery-not-deduplicated', area: 'xmpp', flow: 'x-xmpp-direct-delivery-deduplicated', requirement: 'GRIDIM-IM-14', bug: 'a gateway that hands a repeated message for a foreign user who is not signed on to the Jabber server again' },
  { fault: 'gateway-direct-path-no-sender-check', area: 'xmpp', flow: 'x-xmpp-direct-delivery-sender-checked', requirement: 'GRIDIM-IM-10', bug: 'a gateway that hands a foreign user a message from a sender the signing region does not host' },
  // What XMPP clients observe beyond stanzas: BOSH terminate conditions, stream errors, <iq/> (issue 14).
  { fault: 'bosh-unknown-sid-bad-request', area: 'xmpp-streams', flow: 'x-bosh-terminate-conditions', requirement: 'GRIDIM-XMPP-11', bug: 'a gateway that answers an unknown BOSH sid with bad-request' },
  { fault: 'gateway-ignores-disco-node', area: 'xmpp-streams', flow: 'x-xmpp-room-reserved-nick', requirement: 'GRIDIM-XMPP-61', bug: 'a gateway that answers a room\'s disco#info for x-roomuser-item with the room\'s own info' },
  { fault: 'gateway-roster-full-jids', area: 'xmpp-streams', flow: 'x-xmpp-roster', requirement: 'GRIDIM-XMPP-13', bug: 'a gateway whose roster items name friends by full JID' },
  { fault: 'gateway-no-roster-push-on-end', area: 'xmpp-streams', flow: 'x-xmpp-roster', requirement: 'GRIDIM-XMPP-14', bug: 'a gateway that sends no roster push when a friendship ends' },
  { fault: 'gateway-replaced-stream-closed-plainly', area: 'xmpp-streams', flow: 'x-xmpp-stream-errors', requirement: 'GRIDIM-XMPP-9', bug: 'a gateway that closes a replaced stream without the conflict stream error' },
  { fault: 'websocket-xml-comments-skipped', area: 'xmpp-streams', flow: 'x-xmpp-stream-errors', requirement: 'GRIDIM-XMPP-46', bug: 'a gateway that drops XML comments from WebSocket frames and delivers the stanza' },
  { fault: 'bosh-restricted-xml-as-bad-request', area: 'xmpp-streams', flow: 'x-bosh-terminate-conditions', requirement: 'GRIDIM-XMPP-43', bug: 'a gateway that refuses a BOSH body with a DTD as bad-request, without the restricted-xml stream error' },
  // The component link, as a Jabber server the runner plays breaks, silences and refuses it (issue 14).
  { fault: 'component-keeps-silent-link', area: 'xmpp-link', flow: 'x-xmpp-link-goes-silent', requirement: 'GRIDIM-XMPP-2', bug: 'a gateway that never gives up a link whose pings go unanswered' },
  { fault: 'component-backoff-not-reset', area: 'xmpp-link', flow: 'x-xmpp-link-retried-with-backoff', requirement: 'GRIDIM-XMPP-3', bug: 'a gateway whose reconnection delay never starts over' },
  {
    fault: 'component-gives-up-on-any-stream-error', area: 'xmpp-link',
    flow: 'x-xmpp-link-retried-with-backoff',
    requirement: 'GRIDIM-XMPP-3',
    bug: 'a gateway that stops linking at a server shutting down'
  },
  {
    fault: 'component-forgets-unacked-messages', area: 'xmpp-link',
    flow: 'x-xmpp-message-in-flight-resent',
    requirement: 'GRIDIM-XMPP-4',
    bug: 'a gateway that does not resend messages written to a link that failed'
  },
  { fault: 'gateway-queues-while-link-down', area: 'xmpp-link', flow: 'x-xmpp-link-down-message-stored', requirement: 'GRIDIM-XMPP-5', bug: 'a gateway that takes messages while its link is down' },
  { fault: 'component-retries-refused-handshake', area: 'xmpp-link', flow: 'x-xmpp-component-refused', requirement: 'GRIDIM-XMPP-59', bug: 'a gateway that retries a refused handshake for ever' },
  { fault: 'gateway-starts-without-link', area: 'xmpp-link', flow: 'x-xmpp-component-refused', requirement: 'GRIDIM-XMPP-59', bug: 'a gateway that starts although its handshake is refused' },
  { fault: 'gateway-drops-server-stanzas', area: 'xmpp-link', flow: 'x-xmpp-stanzas-from-jabber-server', requirement: 'GRIDIM-XMPP-60', bug: 'a gateway that drops stanzas from its Jabber server\'s address' },
  { fault: 'gateway-domain-unchecked', area: 'xmpp-link', flow: 'x-gateway-domain-checked-at-start-up', requirement: 'GRIDIM-XMPP-58', bug: 'a gateway that starts with a domain the user server does not publish' },
  // Concurrent steps (issue 14): a long poll held while another step acts.
  { fault: 'long-poll-held-for-wait', area: 'client-interface', flow: 'x-long-poll-and-stream-held', requirement: 'GRIDIM-CLI-9', bug: 'a region that answers a held long poll only when its wait runs out' },
  { fault: 'session-end-leaves-polls', area: 'client-interface', flow: 'x-long-poll-and-stream-held', requirement: 'GRIDIM-CLI-16', bug: 'a region that leaves polls and streams open when the session ends' },
  { fault: 'notices-held-to-combine', area: 'presence', flow: 'x-notices-within-two-seconds', requirement: 'GRIDIM-SIGN-15', bug: 'a user server that holds notices 3 s to combine them with later ones' },
  // The client stream (issue 15): each caught by a flow that speaks it frame by frame; the ack's, with every client of the run on the stream too.
  { fault: 'stream-ack-ignored', area: 'client-stream', flow: 'x-client-stream-ack', requirement: 'GRIDIM-CLI-38', bug: 'a region that takes a client stream\'s ack and acknowledges nothing', clientInterface: 'stream' },
  { fault: 'stream-dedupe-per-connection', area: 'client-stream', flow: 'x-client-stream-send', requirement: 'GRIDIM-CLI-39', bug: 'a region that remembers a stream\'s messageIds per connection, not per session' },
  { fault: 'stream-result-wrong-ref', area: 'client-stream', flow: 'x-client-stream-send', requirement: 'GRIDIM-CLI-39', bug: 'a region that answers a stream request with the latest request\'s ref' },
  // Issue 14, the event stream and the client stream's handshake: bugs the mutation hunt found the suite missed.
  { fault: 'stream-refusal-plain-json', area: 'client-stream', flow: 'x-client-stream-hello', requirement: 'GRIDIM-ERR-1', bug: 'a region that labels its refusal of a client-stream handshake application/json' },
  { fault: 'sse-served-as-text-plain', area: 'client-interface', flow: 'x-event-stream-resume', requirement: 'GRIDIM-ROLE-6', bug: 'a region that serves clientStreamEvents as text/plain' },
  { fault: 'sse-last-event-id-not-ack', area: 'client-interface', flow: 'x-last-event-id-acknowledges', requirement: 'GRIDIM-CLI-10', bug: 'a region that resumes an event stream after Last-Event-ID without taking it as the client\'s acknowledgement' },
  { fault: 'stream-hello-after-ignored', area: 'client-stream', flow: 'x-client-stream-resume', requirement: 'GRIDIM-CLI-37', bug: 'a region that starts every client stream with all retained events, whatever the hello\'s after' },
  { fault: 'stream-session-end-leaves-open', area: 'client-stream', flow: 'x-client-stream-ack', requirement: 'GRIDIM-CLI-40', bug: 'a region that leaves a client stream open when its session ends' },
  { fault: 'stream-close-not-activity', area: 'client-stream', flow: 'x-client-stream-keepalive', requirement: 'GRIDIM-CLI-41', bug: 'a region that signs off as idle a client that has just closed its last stream' },
  { fault: 'stream-hello-accepts-handed-over', area: 'client-stream', flow: 'x-handover-read-window', requirement: 'GRIDIM-CLI-35', bug: 'a region that opens a client stream for a session it has handed over' },
  { fault: 'client-rate-limit-below-floor', area: 'client-interface', flow: 'x-rate-limits', requirement: 'GRIDIM-LIM-13', bug: 'a region that rate-limits a client session sending 10 requests a second' },
  { fault: 'rate-limited-without-retry-after', area: 'client-interface', flow: 'x-rate-limits', requirement: 'GRIDIM-LIM-12', bug: 'a region whose rate-limited refusals carry no Retry-After' },
  // Timers that activity should reset (issue 14): each one runs from the first event instead of the latest.
  { fault: 'group-idle-not-reset-by-message', area: 'group-sessions', flow: 'x-group-idle-reset-by-activity', requirement: 'GRIDIM-GRP-22', bug: 'a user server whose group idle time ignores messages' },
  { fault: 'group-idle-not-reset-by-join', area: 'group-sessions', flow: 'x-group-idle-reset-by-activity', requirement: 'GRIDIM-GRP-22', bug: 'a user server whose group idle time ignores joins' },
  {
    fault: 'group-idle-not-reset-by-restart', area: 'group-sessions',
    flow: 'x-group-restart-is-activity',
    requirement: 'GRIDIM-GRP-22',
    bug: 'a user server whose group idle time ignores a join through startGroupSession'
  },
  {
    fault: 'replaced-session-keeps-group-membership', area: 'group-sessions',
    flow: 'x-replaced-member-leaves-group-session',
    requirement: 'GRIDIM-GRP-10',
    bug: 'a user server that keeps a user whose session a newer sign-on replaced in its group sessions'
  },
  {
    fault: 'member-left-told-to-leaver', area: 'group-sessions',
    flow: 'x-member-left-not-told-to-leaver',
    requirement: 'GRIDIM-GRP-17',
    bug: 'a user server that tells the member who left a group session that it left'
  },
  { fault: 'held-answer-cut-as-idle', area: 'wire', flow: 'x-slow-clients-cut-off', requirement: 'GRIDIM-LIM-20', bug: 'a role that counts a long poll it holds as an idle connection and closes it' },
  { fault: 'client-idle-not-reset-by-poll', area: 'client-interface', flow: 'x-client-timers-from-settings', requirement: 'GRIDIM-CLI-32', bug: 'a region that signs off a client that only reads, as idle' },
  { fault: 'unread-dropped-on-idle', area: 'client-interface', flow: 'x-client-timers-from-settings', requirement: 'GRIDIM-SIGN-21', bug: 'a region that drops what an idle session left unread' },
  { fault: 'handover-unread-kept', area: 'client-interface', flow: 'x-client-timers-from-settings', requirement: 'GRIDIM-CLI-24', bug: 'a region that returns nothing when a hand-over\'s read window closes' },
  { fault: 'keep-alive-ignores-directory', area: 'client-interface', flow: 'x-client-timers-from-settings', requirement: 'GRIDIM-CLI-15', bug: 'a region whose event streams keep a 15 s keep-alive whatever the directory says' },
  { fault: 'lease-not-extended-by-renewal', area: 'sign-on-and-leases', flow: 'x-lease-renewal', requirement: 'GRIDIM-LEASE-3', bug: 'a user server whose renewal does not extend a current lease' },
  // Faults only a broken link shows (issue 14: the runner's proxy between roles).
  {
    fault: 'unreachable-user-server-as-stored', area: 'links',
    flow: 'x-user-server-unreachable',
    requirement: 'GRIDIM-IM-8',
    bug: 'a region that answers stored when it cannot reach the user server'
  },
  {
    fault: 'unreachable-user-server-no-delivery-failed', area: 'links',
    flow: 'x-user-server-unreachable',
    requirement: 'GRIDIM-CLI-18',
    bug: 'a region that tells no deliveryFailed when it cannot reach the user server'
  },
  {
    fault: 'problem-detail-on-5xx', area: 'links',
    flow: 'x-user-server-unreachable',
    requirement: 'GRIDIM-ERR-6',
    bug: 'a region whose 503 names the user server it could not reach'
  },
  {
    fault: 'not-here-notices-dropped', area: 'links',
    flow: 'x-user-moves-while-held',
    requirement: 'GRIDIM-SIGN-17',
    bug: 'a user server that drops the notices of users a region says are not there'
  },
  {
    fault: 'not-here-group-messages-dropped', area: 'links',
    flow: 'x-user-moves-while-held',
    requirement: 'GRIDIM-GRP-18',
    bug: 'a user server that drops a group message for members a region says are not there'
  },
  {
    fault: 'not-here-while-signing-on', area: 'links',
    flow: 'x-message-during-sign-on',
    requirement: 'GRIDIM-SIGN-5',
    bug: 'a region that refuses a message for a user whose sign-on is in flight'
  },
  {
    fault: 'delivered-before-sign-on', area: 'links',
    flow: 'x-message-during-sign-on',
    requirement: 'GRIDIM-SIGN-22',
    bug: 'a region that answers delivered while the recipient\'s sign-on is in flight'
  },
  {
    fault: 'delivered-after-failed-sign-on', area: 'links',
    flow: 'x-message-during-sign-on',
    requirement: 'GRIDIM-SIGN-22',
    bug: 'a region that answers delivered for a message whose recipient\'s sign-on failed'
  },
  {
    fault: 'peer-silence-awaited-30s', area: 'links',
    flow: 'x-peer-never-answers',
    requirement: 'GRIDIM-LIM-16',
    bug: 'a region that waits 30 s for a peer that never answers'
  },
  { fault: 'handover-confirmed-for-any-user', area: 'security', flow: 'x-handover-bound-to-session', requirement: 'GRIDIM-LOC-16', bug: 'a user server that confirms a hand-over naming another user than the session\'s' },
  { fault: 'end-lease-without-lease', area: 'sign-on-and-leases', flow: 'x-region-lease-rules', requirement: 'GRIDIM-LEASE-7', bug: 'a user server that lets a region without a current lease end its lease' },
  { fault: 'settings-max-refused', area: 'grid', flow: 'x-bad-input-refused', requirement: 'GRIDIM-LIM-14', bug: 'a user server that refuses the top value of each setting\'s range' },
  { fault: 'unknown-keyid-remembered', area: 'security', flow: 'x-unknown-key-asked-again', requirement: 'GRIDIM-SEC-7', bug: 'a region that remembers an unknown keyid and refuses a region provisioned later' },
]

/**
 * Faults no flow can provoke, with why and where they are proved instead. Each is a gap in what a
 * third party's server is checked for; keep this list short.
 */
export const provedElsewhere: Readonly<Record<string, string>> = {
  'group-forward-not-durable': 'reference/user-server/group-sessions/outbox.test.ts and reference/e2e/group-outbox-crash.test.ts: only a crash of the user server between its answer and the forward shows it, and no runner action crashes the target\'s user server (restart-user-server is a graceful stop)'
}
