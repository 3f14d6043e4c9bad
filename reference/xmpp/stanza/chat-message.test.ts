import t from 'tap'
import type { ChatMessage } from '../../../openapi/stanzas/index.ts'
import { assertReads, assertRejects, assertRoundTrip } from './test-support.ts'

const message: ChatMessage = {
  kind: 'chatMessage',
  from: 'romeo.montague@gw.example/viewer',
  to: 'juliet@capulet.lit',
  id: '8a0d5b86-4a04-4c1b-8f5e-2a1e3c5e4d10',
  body: 'Hello from the grid'
}

t.test('a chat message survives object → stanza → object (RFC 6121 §5.2)', async (t) => {
  const xml = assertRoundTrip(t, message)
  t.match(xml, /^<message type="chat" /)
  t.match(xml, /<body>Hello from the grid<\/body>/)
})

t.test('a chat message keeps its thread and its chat state (RFC 6121 §5.2.5, XEP-0085 §5.6)', async (t) => {
  const xml = assertRoundTrip(t, { ...message, thread: 'e0ffe42b28561960c6b12b944a092794b9683a38', chatState: 'active' })
  t.match(xml, /<active xmlns="http:\/\/jabber.org\/protocol\/chatstates"\/>/)
})

t.test('markup and non-ASCII text in a body are escaped and come back intact', async (t) => {
  assertRoundTrip(t, { ...message, body: '<b>bold</b> & "quotes" \'apos\' — ünïcødé 🙂\nsecond line' })
})

t.test('a body of exactly 1023 bytes of UTF-8 is accepted', async (t) => {
  assertRoundTrip(t, { ...message, body: 'é'.repeat(511) + 'x' })
})

t.test('a message from Prosody with extra payloads maps to its body, id and state', async (t) => {
  const xml = `<message xmlns="jabber:client" type="chat" to="romeo.montague@gw.example" from="juliet@capulet.lit/balcony" id="3a4bb29c-1f4e-4b7e-9d3c-5f1b2b6f8c11">
    <body>Wherefore art thou, Romeo?</body>
    <origin-id xmlns="urn:xmpp:sid:0" id="3a4bb29c-1f4e-4b7e-9d3c-5f1b2b6f8c11"/>
    <request xmlns="urn:xmpp:receipts"/>
    <markable xmlns="urn:xmpp:chat-markers:0"/>
    <active xmlns="http://jabber.org/protocol/chatstates"/>
    <stanza-id xmlns="urn:xmpp:sid:0" by="juliet@capulet.lit" id="J8dX0mSZbnd4RYy4"/>
  </message>`
  assertReads(t, xml, {
    kind: 'chatMessage',
    from: 'juliet@capulet.lit/balcony',
    to: 'romeo.montague@gw.example',
    id: '3a4bb29c-1f4e-4b7e-9d3c-5f1b2b6f8c11',
    body: 'Wherefore art thou, Romeo?',
    chatState: 'active',
    originId: '3a4bb29c-1f4e-4b7e-9d3c-5f1b2b6f8c11'
  })
})

t.test('a message from an offline store keeps its origin-id and its delay stamp (XEP-0359, XEP-0203; GRIDIM-XMPP-27)', async (t) => {
  const xml = assertRoundTrip(t, { ...message, originId: message.id, delay: '2025-01-01T00:00:00.000Z' })
  t.match(xml, /<origin-id xmlns="urn:xmpp:sid:0" id="8a0d5b86-4a04-4c1b-8f5e-2a1e3c5e4d10"\/>/)
  t.match(xml, /<delay xmlns="urn:xmpp:delay" stamp="2025-01-01T00:00:00.000Z"\/>/)
})

t.test('a delay stamp is read as its instant, however it is spelt (XEP-0082)', async (t) => {
  const at = (stamp: string): string => `<message type="chat" from="juliet@capulet.lit/balcony" to="romeo.montague@gw.example" id="d1"><body>hi</body><delay xmlns="urn:xmpp:delay" from="capulet.lit" stamp="${stamp}"/></message>`
  const expected = { kind: 'chatMessage', from: 'juliet@capulet.lit/balcony', to: 'romeo.montague@gw.example', id: 'd1', body: 'hi', delay: '2025-01-01T00:00:00.000Z' } as const
  assertReads(t, at('2025-01-01T00:00:00Z'), expected)
  assertReads(t, at('2025-01-01T01:00:00+01:00'), expected)
  assertReads(t, at('2025-01-01T00:00:00.000Z'), expected)
})

t.test('an origin-id or delay a reader cannot use is left out, not refused', async (t) => {
  const expected = { kind: 'chatMessage', from: 'juliet@capulet.lit/balcony', to: 'romeo.montague@gw.example', id: 'd2', body: 'hi' } as const
  const wrap = (extra: string): string => `<message type="chat" from="juliet@capulet.lit/balcony" to="romeo.montague@gw.example" id="d2"><body>hi</body>${extra}</message>`
  assertReads(t, wrap('<delay xmlns="urn:xmpp:delay" stamp="yesterday"/>'), expected)
  assertReads(t, wrap('<delay xmlns="urn:xmpp:delay"/>'), expected)
  assertReads(t, wrap('<delay xmlns="urn:other" stamp="2025-01-01T00:00:00Z"/>'), expected)
  assertReads(t, wrap('<origin-id xmlns="urn:xmpp:sid:0" id=""/>'), expected)
  assertReads(t, wrap(`<origin-id xmlns="urn:xmpp:sid:0" id="${'x'.repeat(257)}"/>`), expected)
})

t.test('a message of type normal, or with no type, is read as a chat message (RFC 6121 §5.2.2)', async (t) => {
  const expected = { kind: 'chatMessage', from: 'juliet@capulet.lit/balcony', to: 'romeo.montague@gw.example', id: 'n1', body: 'hi' } as const
  assertReads(t, '<message from="juliet@capulet.lit/balcony" to="romeo.montague@gw.example" id="n1"><body>hi</body></message>', expected)
  assertReads(t, '<message type="normal" from="juliet@capulet.lit/balcony" to="romeo.montague@gw.example" id="n1"><body>hi</body></message>', expected)
})

t.test('a body in CDATA with entities and character references reads as its text', async (t) => {
  assertReads(t, '<message type="chat" from="a@b.example/r" to="c@d.example" id="c1"><body><![CDATA[<not markup> & ]]>&lt;&#65;&#x42;</body></message>', {
    kind: 'chatMessage', from: 'a@b.example/r', to: 'c@d.example', id: 'c1', body: '<not markup> & <AB'
  })
})

t.test('a chat message that breaks the contract is rejected with the matching condition', async (t) => {
  const ok = 'from="a@b.example/r" to="c@d.example"'
  const cases: Array<[string, string, string]> = [
    ['no id, so it cannot be de-duplicated', `<message type="chat" ${ok}><body>x</body></message>`, 'bad-request'],
    ['an empty body', `<message type="chat" ${ok} id="1"><body/></message>`, 'bad-request'],
    ['a body of 1024 bytes of UTF-8 (GridIM message-too-long)', `<message type="chat" ${ok} id="1"><body>${'é'.repeat(512)}</body></message>`, 'not-acceptable'],
    ['a body of 1024 ASCII characters', `<message type="chat" ${ok} id="1"><body>${'x'.repeat(1024)}</body></message>`, 'not-acceptable'],
    ['no from address', '<message type="chat" to="c@d.example" id="1"><body>x</body></message>', 'bad-request'],
    ['a malformed from address', '<message type="chat" from="a@@b" to="c@d.example" id="1"><body>x</body></message>', 'jid-malformed'],
    ['a to address with a space', '<message type="chat" from="a@b.example" to="c d@e.example" id="1"><body>x</body></message>', 'jid-malformed'],
    ['a localpart over 1023 bytes (RFC 7622 §3.1)', `<message type="chat" from="${'é'.repeat(512)}@b.example" to="c@d.example" id="1"><body>x</body></message>`, 'jid-malformed'],
    ['two chat states (XEP-0085 §5.6)', `<message type="chat" ${ok} id="1"><body>x</body><active xmlns="http://jabber.org/protocol/chatstates"/><composing xmlns="http://jabber.org/protocol/chatstates"/></message>`, 'bad-request'],
    ['an id longer than 256 characters', `<message type="chat" ${ok} id="${'i'.repeat(257)}"><body>x</body></message>`, 'bad-request'],
    ['an unknown message type', `<message type="shout" ${ok} id="1"><body>x</body></message>`, 'bad-request']
  ]
  for (const [why, xml, condition] of cases) {
    t.test(why, async (t) => assertRejects(t, xml, condition))
  }
})
