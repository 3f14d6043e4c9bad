import t from 'tap'
import { STANZA_ERROR_CONDITIONS } from '../../../openapi/stanzas/index.ts'
import { ERROR_CODES, GridImError, type ErrorCode } from '../../lib/errors/index.ts'
import {
  codeForStanzaError, gridImErrorForStanzaError, stanzaErrorElement, stanzaErrorForCode, stanzaErrorForGridImError
} from './errors.ts'
import { schemaErrors } from './test-support.ts'
import { StanzaError } from './xmpp-error.ts'

/** spec/protocol/14-errors.md: code → XMPP stanza condition. */
const SKETCH: Array<[ErrorCode, string]> = [
  ['invalid-request', 'bad-request'], ['message-too-long', 'not-acceptable'], ['body-too-large', 'policy-violation'],
  ['unauthenticated', 'not-authorized'], ['bad-signature', 'not-authorized'], ['replayed-request', 'not-authorized'],
  ['unknown-key', 'not-authorized'], ['invalid-credentials', 'not-authorized'], ['forbidden', 'forbidden'],
  ['not-your-agent', 'forbidden'], ['not-a-member', 'forbidden'], ['unknown-user', 'item-not-found'],
  ['unknown-region', 'item-not-found'], ['unknown-session', 'item-not-found'], ['unknown-offer', 'item-not-found'],
  ['unknown-group', 'item-not-found'], ['unknown-group-session', 'item-not-found'], ['not-friends', 'item-not-found'],
  ['agent-not-here', 'recipient-unavailable'], ['already-friends', 'conflict'], ['lease-expired', 'remote-server-not-found'],
  ['group-session-closed', 'gone'], ['rate-limited', 'resource-constraint'], ['unavailable', 'service-unavailable'],
  ['internal', 'internal-server-error']
]

t.test("every GridIM code in the sketch's table becomes its stanza error condition (GRIDIM-ERR)", async (t) => {
  for (const [code, condition] of SKETCH) {
    const error = stanzaErrorForCode(code)
    t.equal(error.condition, condition, code)
    t.equal(error.type, ERROR_CODES[code].xmpp.type, `${code} takes its type from the shared table`)
    t.equal(error.gridimCode, code, `${code} is named as the application-specific condition`)
    t.strictSame(schemaErrors(error, 'urn:gridim:stanza:stanza-error'), [], `${code} satisfies the schema`)
  }
})

t.test('every code of the shared table maps to a defined condition and back to itself', async (t) => {
  for (const code of Object.keys(ERROR_CODES) as ErrorCode[]) {
    const error = stanzaErrorForCode(code, 'why')
    t.ok((STANZA_ERROR_CONDITIONS as readonly string[]).includes(error.condition), `${code} → ${error.condition}`)
    t.equal(codeForStanzaError(error), code)
  }
})

t.test('without a GridIM code, a condition maps to a code that maps back to the same condition', async (t) => {
  for (const condition of STANZA_ERROR_CONDITIONS) {
    const code = codeForStanzaError({ condition })
    t.ok(Object.hasOwn(ERROR_CODES, code), `${condition} → ${code}`)
  }
  for (const code of Object.keys(ERROR_CODES) as ErrorCode[]) {
    const { condition } = stanzaErrorForCode(code)
    t.equal(ERROR_CODES[codeForStanzaError({ condition })].xmpp.condition, condition, `${condition} is stable`)
  }
})

t.test('an unknown GridIM code from a peer falls back to the condition', async (t) => {
  t.equal(codeForStanzaError({ condition: 'recipient-unavailable', gridimCode: 'no-such-code' }), 'agent-not-here')
  t.equal(codeForStanzaError({ condition: 'subscription-required' }), 'not-friends')
})

t.test('the text of a 5xx error is never exposed, like its problem details', async (t) => {
  t.equal(stanzaErrorForCode('internal', 'database locked at /secret/path').text, undefined)
  t.equal(stanzaErrorForCode('unavailable', 'draining').text, undefined)
  t.equal(stanzaErrorForCode('not-friends', 'you are not friends').text, 'you are not friends')
  t.equal(stanzaErrorForGridImError(new GridImError('internal', 'stack trace')).text, undefined)
})

t.test('a GridImError crosses to XMPP and back with its code and detail', async (t) => {
  const error = stanzaErrorForGridImError(new GridImError('agent-not-here', 'moved to Ahern'))
  t.strictSame(error, { type: 'wait', condition: 'recipient-unavailable', gridimCode: 'agent-not-here', text: 'moved to Ahern' })
  const back = gridImErrorForStanzaError(error)
  t.equal(back.code, 'agent-not-here')
  t.equal(back.message, 'moved to Ahern')
  t.strictSame(stanzaErrorForGridImError(new GridImError('forbidden')), { type: 'auth', condition: 'forbidden', gridimCode: 'forbidden' })
})

t.test('a StanzaError raised while reading a stanza becomes the <error/> to answer with', async (t) => {
  t.strictSame(stanzaErrorElement(new StanzaError('jid-malformed', 'bad from')), { type: 'modify', condition: 'jid-malformed', text: 'bad from' })
  t.strictSame(stanzaErrorElement(new StanzaError('bad-request')), { type: 'modify', condition: 'bad-request' })
})
