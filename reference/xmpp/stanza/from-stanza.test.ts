import t from 'tap'
import { stanzaSchemas, type Stanza, type StanzaKind } from '../../../openapi/stanzas/index.ts'
import { assertRejects, assertRoundTrip, readStanza } from './test-support.ts'

const room = 'session-4f1c@rooms.gw.example'

/** One example per kind; the first test checks none is missing. */
const EXAMPLES: Stanza[] = [
  { kind: 'chatMessage', from: 'a@gw.example/v', to: 'b@x.example', id: '1', body: 'hi' },
  { kind: 'chatState', from: 'a@gw.example/v', to: 'b@x.example', state: 'composing' },
  { kind: 'groupchatMessage', from: 'a@gw.example/v', to: room, id: '2', body: 'all' },
  { kind: 'messageError', from: 'b@x.example', to: 'a@gw.example/v', error: { type: 'cancel', condition: 'item-not-found' } },
  { kind: 'presenceAvailable', from: 'a@gw.example/v', show: 'dnd' },
  { kind: 'presenceUnavailable', from: 'a@gw.example/v' },
  { kind: 'presenceProbe', from: 'a@gw.example', to: 'b@x.example' },
  { kind: 'presenceSubscribe', from: 'a@gw.example', to: 'b@x.example' },
  { kind: 'presenceSubscribed', from: 'a@gw.example', to: 'b@x.example' },
  { kind: 'presenceUnsubscribe', from: 'a@gw.example', to: 'b@x.example' },
  { kind: 'presenceUnsubscribed', from: 'a@gw.example', to: 'b@x.example' },
  { kind: 'presenceError', from: 'b@x.example', to: 'a@gw.example', error: { type: 'auth', condition: 'forbidden' } },
  { kind: 'mucJoin', from: 'a@gw.example/v', to: `${room}/A` },
  { kind: 'mucLeave', from: 'a@gw.example/v', to: `${room}/A` },
  { kind: 'mucInvite', from: 'a@gw.example/v', to: room, invitee: 'b@x.example' },
  { kind: 'mucInvitation', from: room, to: 'b@x.example', inviter: 'a@gw.example/v' },
  { kind: 'directInvitation', from: 'a@gw.example/v', to: 'b@x.example', room }
]

t.test('every stanza kind in the contract maps to XML and back', async (t) => {
  const kinds = Object.values(stanzaSchemas).flatMap((s) => 'kind' in s.properties ? [s.properties.kind.const as StanzaKind] : [])
  t.strictSame(EXAMPLES.map((e) => e.kind).sort(), [...kinds].sort(), 'one example per kind')
  for (const example of EXAMPLES) assertRoundTrip(t, example)
})

t.test('a stanza qualified by the client, server or component namespace is read the same', async (t) => {
  for (const xmlns of ['jabber:client', 'jabber:server', 'jabber:component:accept']) {
    t.equal(readStanza(`<presence xmlns="${xmlns}" from="a@b.example/r"/>`).kind, 'presenceAvailable', xmlns)
  }
})

t.test('an element that is not a stanza is a stream error, unsupported-stanza-type (RFC 6120 §4.9.3.24)', async (t) => {
  assertRejects(t, '<iq-not type="get"/>', 'unsupported-stanza-type', 'StreamError')
  assertRejects(t, '<stream:features xmlns:stream="http://etherx.jabber.org/streams"/>', 'unsupported-stanza-type', 'StreamError')
})

t.test('a stanza in a foreign namespace is a stream error, invalid-namespace (RFC 6120 §4.9.3.10)', async (t) => {
  assertRejects(t, '<message xmlns="urn:example:evil" from="a@b.example/r" to="c@d.example" id="1"><body>x</body></message>', 'invalid-namespace', 'StreamError')
})

t.test('an IQ is answered with service-unavailable, as no IQ payload is mapped (RFC 6120 §8.4)', async (t) => {
  assertRejects(t, '<iq type="get" from="a@b.example/r" to="gw.example" id="disco1"><query xmlns="http://jabber.org/protocol/disco#info"/></iq>', 'service-unavailable')
})

t.test('a headline message is not mapped (feature-not-implemented)', async (t) => {
  assertRejects(t, '<message type="headline" from="news.example" to="a@gw.example"><body>Extra!</body></message>', 'feature-not-implemented')
})
