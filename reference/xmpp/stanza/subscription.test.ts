import t from 'tap'
import { assertReads, assertRejects, assertRoundTrip } from './test-support.ts'

const from = 'romeo.montague@gw.example'
const to = 'juliet@capulet.lit'

t.test('each subscription stanza survives object → stanza → object (RFC 6121 §3)', async (t) => {
  const cases = [
    ['presenceSubscribe', 'subscribe'],
    ['presenceSubscribed', 'subscribed'],
    ['presenceUnsubscribe', 'unsubscribe'],
    ['presenceUnsubscribed', 'unsubscribed']
  ] as const
  for (const [kind, type] of cases) {
    const xml = assertRoundTrip(t, { kind, from, to, id: `sub-${type}` })
    t.match(xml, new RegExp(`^<presence type="${type}" `))
  }
})

t.test("a subscription request carries the friendship offer's message as its status (RFC 6121 §3.1.1)", async (t) => {
  assertRoundTrip(t, { kind: 'presenceSubscribe', from, to, status: 'Met you in Ahern — be friends?' })
})

t.test('a subscription request from Prosody maps to bare addresses and its status', async (t) => {
  assertReads(t, `<presence xmlns="jabber:client" type="subscribe" from="juliet@capulet.lit" to="romeo.montague@gw.example" id="Xkq2X-8">
      <status>Wherefore art thou?</status>
      <nick xmlns="http://jabber.org/protocol/nick">Juliet</nick>
    </presence>`, {
    kind: 'presenceSubscribe', from: 'juliet@capulet.lit', to: 'romeo.montague@gw.example', id: 'Xkq2X-8', status: 'Wherefore art thou?', nick: 'Juliet'
  })
})

t.test("a subscription request names its sender with an XEP-0172 nick (§4.2, GRIDIM-XMPP-62)", async (t) => {
  const xml = assertRoundTrip(t, { kind: 'presenceSubscribe', from, to, status: 'Hello', nick: 'Romeo Montague' })
  t.match(xml, /<nick xmlns="http:\/\/jabber.org\/protocol\/nick">Romeo Montague<\/nick>/)
  assertReads(t, `<presence type="subscribe" from="${to}" to="${from}"><nick xmlns="http://jabber.org/protocol/nick"/><nick>not XEP-0172</nick></presence>`, {
    kind: 'presenceSubscribe', from: to, to: from
  })
})

t.test('a resource on a subscription address is dropped, as the server would stamp it (RFC 6121 §3.1.2)', async (t) => {
  assertReads(t, '<presence type="subscribed" from="juliet@capulet.lit/balcony" to="romeo.montague@gw.example/viewer"/>', {
    kind: 'presenceSubscribed', from: 'juliet@capulet.lit', to: 'romeo.montague@gw.example'
  })
})

t.test('a subscription stanza with a malformed address is rejected as jid-malformed', async (t) => {
  assertRejects(t, '<presence type="unsubscribe" from="juliet@capulet.lit" to="romeo@@gw.example"/>', 'jid-malformed')
  assertRejects(t, '<presence type="unsubscribed" from="juliet@capulet.lit"/>', 'bad-request')
})
