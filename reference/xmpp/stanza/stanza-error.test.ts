import t from 'tap'
import { STANZA_ERROR_CONDITIONS } from '../../../openapi/stanzas/index.ts'
import { defaultErrorType } from './error-types.ts'
import { assertReads, assertRoundTrip, schemaErrors } from './test-support.ts'
import { StanzaError, StreamError, XmppError } from './xmpp-error.ts'

const from = 'romeo.montague@gw.example'
const to = 'juliet@capulet.lit/balcony'

t.test('a message error with every defined condition survives the round trip (RFC 6120 §8.3.3)', async (t) => {
  for (const condition of STANZA_ERROR_CONDITIONS) {
    assertRoundTrip(t, { kind: 'messageError', from, to, id: 'm1', error: { type: defaultErrorType(condition), condition } })
  }
})

t.test('an error keeps its text and its GridIM code, in the order RFC 6120 §8.3.2 gives', async (t) => {
  const xml = assertRoundTrip(t, {
    kind: 'messageError', from, to, id: 'm2',
    error: { type: 'wait', condition: 'recipient-unavailable', text: 'Romeo is not on this region', gridimCode: 'agent-not-here' }
  })
  t.match(xml, /<error type="wait"><recipient-unavailable xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"\/><text xmlns="urn:ietf:params:xml:ns:xmpp-stanzas">Romeo is not on this region<\/text><agent-not-here xmlns="urn:gridim:problem"\/><\/error>/)
})

t.test('a presence error survives the round trip (RFC 6121 §3.1.3)', async (t) => {
  assertRoundTrip(t, { kind: 'presenceError', from, to: 'juliet@capulet.lit', error: { type: 'cancel', condition: 'item-not-found', gridimCode: 'unknown-user' } })
})

t.test('the <error/> element on its own satisfies the stanza-error schema', async (t) => {
  t.strictSame(schemaErrors({ type: 'modify', condition: 'bad-request', text: 'x' }, 'urn:gridim:stanza:stanza-error'), [])
  t.not(schemaErrors({ type: 'later', condition: 'bad-request' }, 'urn:gridim:stanza:stanza-error').length, 0)
  t.not(schemaErrors({ type: 'cancel', condition: 'payment-required' }, 'urn:gridim:stanza:stanza-error').length, 0)
})

t.test("Prosody's bounce of an undeliverable message is read as a message error", async (t) => {
  assertReads(t, `<message xmlns="jabber:client" type="error" from="juliet@capulet.lit" to="romeo.montague@gw.example/viewer" id="3a4bb29c">
      <error type="cancel" by="capulet.lit">
        <service-unavailable xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/>
        <text xmlns="urn:ietf:params:xml:ns:xmpp-stanzas">The recipient is not available</text>
      </error>
    </message>`, {
    kind: 'messageError', from: 'juliet@capulet.lit', to: 'romeo.montague@gw.example/viewer', id: '3a4bb29c',
    error: { type: 'cancel', condition: 'service-unavailable', text: 'The recipient is not available' }
  })
})

t.test('a malformed error is read leniently, since an error is never answered with one (RFC 6120 §8.3.1)', async (t) => {
  const bounce = (error: string) => `<message type="error" from="${to}" to="${from}">${error}</message>`
  assertReads(t, bounce('<error type="sideways"><gone xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/></error>'), {
    kind: 'messageError', from: to, to: from, error: { type: 'cancel', condition: 'gone' }
  })
  assertReads(t, bounce('<error type="cancel"><payment-required xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/></error>'), {
    kind: 'messageError', from: to, to: from, error: { type: 'cancel', condition: 'undefined-condition' }
  })
  assertReads(t, bounce(''), { kind: 'messageError', from: to, to: from, error: { type: 'cancel', condition: 'undefined-condition' } })
  assertReads(t, bounce(`<error type="modify"><bad-request xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/><text xmlns="urn:ietf:params:xml:ns:xmpp-stanzas">${'t'.repeat(2000)}</text><Not_A_Code xmlns="urn:gridim:problem"/></error>`), {
    kind: 'messageError', from: to, to: from, error: { type: 'modify', condition: 'bad-request', text: 't'.repeat(1023) }
  })
})

t.test('the error classes carry their condition, type and name like xmpp.js errors', async (t) => {
  const stanza = new StanzaError('item-not-found', 'no such user')
  t.ok(stanza instanceof XmppError)
  t.equal(stanza.name, 'StanzaError')
  t.equal(stanza.type, 'cancel', 'the type defaults from the condition')
  t.equal(stanza.text, 'no such user')
  t.equal(new StanzaError('resource-constraint', undefined, 'cancel').type, 'cancel')
  const stream = new StreamError('restricted-xml')
  t.ok(stream instanceof XmppError)
  t.equal(stream.name, 'StreamError')
  t.equal(stream.text, undefined)
})
