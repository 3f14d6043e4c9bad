import t from 'tap'
import { assertReads, assertRejects, assertRoundTrip } from './test-support.ts'

const room = 'session-4f1c@rooms.gw.example'

t.test('a groupchat message from an occupant to the room survives the round trip (XEP-0045 §7.4)', async (t) => {
  const xml = assertRoundTrip(t, { kind: 'groupchatMessage', from: 'juliet@capulet.lit/balcony', to: room, id: 'g1', body: 'Hello, all' })
  t.match(xml, /^<message type="groupchat" /)
})

t.test('a groupchat message from room@service/nick to an occupant survives the round trip (XEP-0045 §7.4)', async (t) => {
  assertRoundTrip(t, { kind: 'groupchatMessage', from: `${room}/Romeo Montague`, to: 'juliet@capulet.lit/balcony', id: '5b2d1f7e-0c2a-4d4b-9d8e-3f0a1b2c3d4e', body: 'Hello, all' })
})

t.test('a join with and without a history limit survives the round trip (XEP-0045 §7.2.2, §7.2.15)', async (t) => {
  const xml = assertRoundTrip(t, { kind: 'mucJoin', from: 'juliet@capulet.lit/balcony', to: `${room}/Juliet` })
  t.match(xml, /<x xmlns="http:\/\/jabber.org\/protocol\/muc"\/>/)
  assertRoundTrip(t, { kind: 'mucJoin', from: 'juliet@capulet.lit/balcony', to: `${room}/Juliet`, id: 'j1', historyMaxStanzas: 0 })
})

t.test('a leave with and without a status survives the round trip (XEP-0045 §7.14)', async (t) => {
  assertRoundTrip(t, { kind: 'mucLeave', from: 'juliet@capulet.lit/balcony', to: `${room}/Juliet` })
  assertRoundTrip(t, { kind: 'mucLeave', from: 'juliet@capulet.lit/balcony', to: `${room}/Juliet`, id: 'l1', status: 'Off to bed' })
})

t.test('a join as a client sends it through Prosody maps to a join with its history limit', async (t) => {
  assertReads(t, `<presence xmlns="jabber:client" from="juliet@capulet.lit/balcony" to="${room}/Juliet" id="join-9">
      <c xmlns="http://jabber.org/protocol/caps" hash="sha-1" node="http://conversations.im" ver="3BfBQ3WNxjVjDUZ0yHKzYzdAmYw="/>
      <x xmlns="http://jabber.org/protocol/muc"><history maxstanzas="20"/><password>ignored</password></x>
    </presence>`, {
    kind: 'mucJoin', from: 'juliet@capulet.lit/balcony', to: `${room}/Juliet`, id: 'join-9', historyMaxStanzas: 20
  })
})

t.test('a join asking for more than 1000 stanzas of history is capped at 1000', async (t) => {
  assertReads(t, `<presence from="a@b.example/r" to="${room}/A"><x xmlns="http://jabber.org/protocol/muc"><history maxstanzas="50000"/></x></presence>`, {
    kind: 'mucJoin', from: 'a@b.example/r', to: `${room}/A`, historyMaxStanzas: 1000
  })
})

t.test('a groupchat message relayed by a room carries extra ids that are ignored', async (t) => {
  assertReads(t, `<message xmlns="jabber:client" type="groupchat" from="${room}/Juliet" to="romeo.montague@gw.example/viewer" id="m-77">
      <body>Good night, good night!</body>
      <stanza-id xmlns="urn:xmpp:sid:0" by="${room}" id="Kq3R9mZP"/>
      <occupant-id xmlns="urn:xmpp:occupant-id:0" id="dd72603deec90a38ba552f7c68cbcc61bca202cd"/>
    </message>`, {
    kind: 'groupchatMessage', from: `${room}/Juliet`, to: 'romeo.montague@gw.example/viewer', id: 'm-77', body: 'Good night, good night!'
  })
})

t.test('an unavailable presence from a room about an occupant is presence, not a leave', async (t) => {
  assertReads(t, `<presence type="unavailable" from="${room}/Juliet" to="romeo.montague@gw.example/viewer">
      <x xmlns="http://jabber.org/protocol/muc#user"><item affiliation="none" role="none"/></x>
    </presence>`, {
    kind: 'presenceUnavailable', from: `${room}/Juliet`, to: 'romeo.montague@gw.example/viewer'
  })
})

t.test('MUC stanzas that break the contract are rejected with the matching condition', async (t) => {
  const cases: Array<[string, string, string]> = [
    ['a join addressed to the bare room, without a nick', `<presence from="a@b.example/r" to="${room}"><x xmlns="http://jabber.org/protocol/muc"/></presence>`, 'jid-malformed'],
    ['a history limit that is not a number', `<presence from="a@b.example/r" to="${room}/A"><x xmlns="http://jabber.org/protocol/muc"><history maxstanzas="lots"/></x></presence>`, 'bad-request'],
    ['a groupchat message without a body (a subject change)', `<message type="groupchat" from="a@b.example/r" to="${room}" id="s"><subject>New topic</subject></message>`, 'feature-not-implemented'],
    ['a groupchat message without an id', `<message type="groupchat" from="a@b.example/r" to="${room}"><body>x</body></message>`, 'bad-request']
  ]
  for (const [why, xml, condition] of cases) {
    t.test(why, async (t) => assertRejects(t, xml, condition))
  }
})
