import t from 'tap'
import type { Show } from '../../../openapi/stanzas/index.ts'
import { assertReads, assertRejects, assertRoundTrip } from './test-support.ts'
import { presenceAvailableFromStanza, presenceAvailableToStanza } from './presence.ts'

t.test('broadcast available presence survives object → stanza → object (RFC 6121 §4.2.1)', async (t) => {
  const xml = assertRoundTrip(t, { kind: 'presenceAvailable', from: 'romeo.montague@gw.example/viewer' })
  t.equal(xml, '<presence from="romeo.montague@gw.example/viewer"/>')
})

t.test('directed presence with each show value and a status survives the round trip (RFC 6121 §4.7.2)', async (t) => {
  const shows: Show[] = ['away', 'chat', 'dnd', 'xa']
  for (const show of shows) {
    assertRoundTrip(t, { kind: 'presenceAvailable', from: 'romeo.montague@gw.example/viewer', to: 'juliet@capulet.lit', id: 'p1', show, status: 'In Ahern region' })
  }
})

t.test('unavailable presence, broadcast and directed, survives the round trip (RFC 6121 §4.5)', async (t) => {
  assertRoundTrip(t, { kind: 'presenceUnavailable', from: 'romeo.montague@gw.example/viewer' })
  assertRoundTrip(t, { kind: 'presenceUnavailable', from: 'romeo.montague@gw.example/viewer', to: 'juliet@capulet.lit', status: 'Logged out' })
})

t.test('a probe to a bare JID survives the round trip (RFC 6121 §4.3)', async (t) => {
  const xml = assertRoundTrip(t, { kind: 'presenceProbe', from: 'juliet@capulet.lit', to: 'romeo.montague@gw.example', id: 'probe1' })
  t.match(xml, /type="probe"/)
})

t.test('presence from Prosody with caps, priority and idle maps to show and status only', async (t) => {
  const xml = `<presence xmlns="jabber:client" from="juliet@capulet.lit/balcony" to="romeo.montague@gw.example" id="pres-4Lk2">
    <show>away</show>
    <status>Gone to the ball</status>
    <priority>5</priority>
    <c xmlns="http://jabber.org/protocol/caps" hash="sha-1" node="https://gajim.org" ver="q07IKJEyjvHSyhy//CH0CxmKi8w="/>
    <idle xmlns="urn:xmpp:idle:1" since="2024-03-01T12:00:00Z"/>
    <delay xmlns="urn:xmpp:delay" from="capulet.lit" stamp="2024-03-01T12:05:00Z"/>
  </presence>`
  assertReads(t, xml, {
    kind: 'presenceAvailable', from: 'juliet@capulet.lit/balcony', to: 'romeo.montague@gw.example', id: 'pres-4Lk2', show: 'away', status: 'Gone to the ball'
  })
})

t.test('unavailable presence as Prosody broadcasts it is read without a to address', async (t) => {
  assertReads(t, '<presence type="unavailable" from="juliet@capulet.lit/balcony"/>', { kind: 'presenceUnavailable', from: 'juliet@capulet.lit/balcony' })
})

t.test('an empty <status/> reads as no status', async (t) => {
  assertReads(t, '<presence from="a@b.example/r"><show>xa</show><status/></presence>', { kind: 'presenceAvailable', from: 'a@b.example/r', show: 'xa' })
})

t.test('a probe as Prosody sends it to a bare JID is read as a probe', async (t) => {
  assertReads(t, "<presence type='probe' from='juliet@capulet.lit' to='romeo.montague@gw.example' id='Tf3vMh'/>", {
    kind: 'presenceProbe', from: 'juliet@capulet.lit', to: 'romeo.montague@gw.example', id: 'Tf3vMh'
  })
})

t.test('presence that breaks the contract is rejected with the matching condition', async (t) => {
  const cases: Array<[string, string, string]> = [
    ['a show value RFC 6121 §4.7.2.1 does not define', '<presence from="a@b.example/r"><show>busy</show></presence>', 'bad-request'],
    ['an unknown presence type (RFC 6121 §4.7.1)', '<presence type="invisible" from="a@b.example/r"/>', 'bad-request'],
    ['no from address', '<presence><show>dnd</show></presence>', 'bad-request'],
    ['a probe addressed to a full JID', '<presence type="probe" from="a@b.example" to="c@d.example/res"/>', 'jid-malformed'],
    ['a status of 1024 bytes', `<presence from="a@b.example/r"><status>${'ß'.repeat(512)}</status></presence>`, 'not-acceptable']
  ]
  for (const [why, xml, condition] of cases) {
    t.test(why, async (t) => assertRejects(t, xml, condition))
  }
})

t.test("an occupant's presence from a room carries its XEP-0045 status codes, read in ascending order (§7.2.3, §15.6)", async (t) => {
  assertRoundTrip(t, { kind: 'presenceAvailable', from: 'room@gw.example/Juliet', to: 'juliet@capulet.lit/balcony', mucStatusCodes: ['110', '210'] })
  const el = presenceAvailableToStanza({ kind: 'presenceAvailable', from: 'room@gw.example/Juliet' })
  el.c('x', { xmlns: 'http://jabber.org/protocol/muc#user' }).c('item', { affiliation: 'member', role: 'participant' }).up().c('status', { code: '210' }).up().c('status', { code: '110' })
  t.strictSame(presenceAvailableFromStanza(el).mucStatusCodes, ['110', '210'])
  el.getChild('x')!.children = []
  t.equal(presenceAvailableFromStanza(el).mucStatusCodes, undefined, 'no status codes, no member')
})
