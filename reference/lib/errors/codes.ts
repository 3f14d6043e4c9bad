// GRIDIM-ERR: the one table of error codes, shared by HTTP (RFC 9457 problem details) and
// XMPP (RFC 6120 §8.3.3 stanza error conditions). Codes are stable; never reuse one.
export type StanzaErrorType = 'auth' | 'cancel' | 'continue' | 'modify' | 'wait'

export type ErrorCodeInfo = {
  status: number
  title: string
  xmpp: { condition: string, type: StanzaErrorType }
}

export const ERROR_CODES = {
  'invalid-request': { status: 400, title: 'The request does not match the contract', xmpp: { condition: 'bad-request', type: 'modify' } },
  'message-too-long': { status: 400, title: 'The message body is longer than 1023 bytes of UTF-8', xmpp: { condition: 'not-acceptable', type: 'modify' } },
  'body-too-large': { status: 413, title: 'The request body is too large', xmpp: { condition: 'policy-violation', type: 'modify' } },
  unauthenticated: { status: 401, title: 'The request carries no valid credentials or signature', xmpp: { condition: 'not-authorized', type: 'auth' } },
  'bad-signature': { status: 401, title: 'The request signature does not verify', xmpp: { condition: 'not-authorized', type: 'auth' } },
  'replayed-request': { status: 401, title: 'The request is outside the replay window or was seen before', xmpp: { condition: 'not-authorized', type: 'auth' } },
  'unknown-key': { status: 401, title: 'The signing key is not in the directory', xmpp: { condition: 'not-authorized', type: 'auth' } },
  'invalid-credentials': { status: 401, title: 'Unknown name or wrong password', xmpp: { condition: 'not-authorized', type: 'auth' } },
  forbidden: { status: 403, title: 'The caller may not do this', xmpp: { condition: 'forbidden', type: 'auth' } },
  'not-your-agent': { status: 403, title: 'The signing region does not host this agent', xmpp: { condition: 'forbidden', type: 'auth' } },
  'not-a-member': { status: 403, title: 'The user is not a member of this group session', xmpp: { condition: 'forbidden', type: 'auth' } },
  'unknown-operation': { status: 404, title: 'No such operation at this path', xmpp: { condition: 'feature-not-implemented', type: 'cancel' } },
  'unknown-user': { status: 404, title: 'No such user', xmpp: { condition: 'item-not-found', type: 'cancel' } },
  'unknown-region': { status: 404, title: 'No such region', xmpp: { condition: 'item-not-found', type: 'cancel' } },
  'unknown-session': { status: 404, title: 'No such session', xmpp: { condition: 'item-not-found', type: 'cancel' } },
  'unknown-offer': { status: 404, title: 'No such friendship offer', xmpp: { condition: 'item-not-found', type: 'cancel' } },
  'unknown-group': { status: 404, title: 'No such group', xmpp: { condition: 'item-not-found', type: 'cancel' } },
  'unknown-group-session': { status: 404, title: 'No such group session', xmpp: { condition: 'item-not-found', type: 'cancel' } },
  'not-friends': { status: 404, title: 'The users are not friends', xmpp: { condition: 'item-not-found', type: 'cancel' } },
  'agent-not-here': { status: 404, title: 'The agent is not on this region', xmpp: { condition: 'recipient-unavailable', type: 'wait' } },
  'already-friends': { status: 409, title: 'The users are already friends', xmpp: { condition: 'conflict', type: 'cancel' } },
  'lease-expired': { status: 409, title: 'The region lease has lapsed; renew it first', xmpp: { condition: 'remote-server-not-found', type: 'cancel' } },
  'group-session-closed': { status: 410, title: 'The group session has ended', xmpp: { condition: 'gone', type: 'cancel' } },
  'rate-limited': { status: 429, title: 'Too many requests', xmpp: { condition: 'resource-constraint', type: 'wait' } },
  unavailable: { status: 503, title: 'Temporarily unavailable; retry later', xmpp: { condition: 'service-unavailable', type: 'wait' } },
  internal: { status: 500, title: 'Internal error', xmpp: { condition: 'internal-server-error', type: 'cancel' } }
} as const satisfies Record<string, ErrorCodeInfo>

export type ErrorCode = keyof typeof ERROR_CODES

export const PROBLEM_TYPE_PREFIX = 'urn:gridim:problem:'

export function isErrorCode (code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(ERROR_CODES, code)
}
