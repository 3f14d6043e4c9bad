import t from 'tap'
import { assertReads, assertRejects, assertRoundTrip } from './test-support.ts'

const room = 'session-4f1c@rooms.gw.example'

t.test("an inviter's request to the room survives the round trip (XEP-0045 §7.8.2)", async (t) => {
  const xml = assertRoundTrip(t, { kind: 'mucInvite', from: 'romeo.montague@gw.example/viewer', to: room, invitee: 'juliet@capulet.lit', reason: 'Join the group session' })
  t.match(xml, /<x xmlns="http:\/\/jabber.org\/protocol\/muc#user"><invite to="juliet@capulet.lit"><reason>Join the group session<\/reason><\/invite><\/x>/)
  assertRoundTrip(t, { kind: 'mucInvite', from: 'romeo.montague@gw.example/viewer', to: room, id: 'inv-1', invitee: 'juliet@capulet.lit' })
})

t.test('the invitation a room passes on to the invitee survives the round trip (XEP-0045 §7.8.2)', async (t) => {
  const xml = assertRoundTrip(t, { kind: 'mucInvitation', from: room, to: 'juliet@capulet.lit', id: 'inv-2', inviter: 'romeo.montague@gw.example/viewer', reason: 'Group session' })
  t.match(xml, /<invite from="romeo.montague@gw.example\/viewer">/)
})

t.test('a direct invitation survives the round trip (XEP-0249 §2)', async (t) => {
  const xml = assertRoundTrip(t, { kind: 'directInvitation', from: 'romeo.montague@gw.example/viewer', to: 'juliet@capulet.lit', room, reason: 'Group session "Ahern"' })
  t.match(xml, /<x xmlns="jabber:x:conference" jid="session-4f1c@rooms.gw.example" reason="Group session &quot;Ahern&quot;"\/>/)
  assertRoundTrip(t, { kind: 'directInvitation', from: 'romeo.montague@gw.example/viewer', to: 'juliet@capulet.lit', id: 'd1', room })
})

t.test("Prosody's mediated invitation, with its fallback body and XEP-0249 element, is read as the invitation", async (t) => {
  assertReads(t, `<message xmlns="jabber:client" from="chapel@conference.capulet.lit" to="romeo.montague@gw.example" id="6b1c">
      <x xmlns="http://jabber.org/protocol/muc#user">
        <invite from="juliet@capulet.lit/balcony"><reason>Meet me at the chapel</reason></invite>
      </x>
      <x xmlns="jabber:x:conference" jid="chapel@conference.capulet.lit"/>
      <body>juliet@capulet.lit/balcony invited you to the room chapel@conference.capulet.lit (Meet me at the chapel)</body>
    </message>`, {
    kind: 'mucInvitation', from: 'chapel@conference.capulet.lit', to: 'romeo.montague@gw.example', id: '6b1c', inviter: 'juliet@capulet.lit/balcony', reason: 'Meet me at the chapel'
  })
})

t.test('a direct invitation as Gajim sends it is read with its room and reason', async (t) => {
  assertReads(t, `<message from="juliet@capulet.lit/balcony" to="romeo.montague@gw.example" id="dinv">
      <x xmlns="jabber:x:conference" jid="chapel@conference.capulet.lit" reason="Come along" continue="false"/>
    </message>`, {
    kind: 'directInvitation', from: 'juliet@capulet.lit/balcony', to: 'romeo.montague@gw.example', id: 'dinv', room: 'chapel@conference.capulet.lit', reason: 'Come along'
  })
})

t.test('an empty <reason/> or reason attribute reads as no reason', async (t) => {
  assertReads(t, `<message from="${room}" to="b@x.example"><x xmlns="http://jabber.org/protocol/muc#user"><invite from="a@gw.example/v"><reason/></invite></x></message>`, {
    kind: 'mucInvitation', from: room, to: 'b@x.example', inviter: 'a@gw.example/v'
  })
  assertReads(t, `<message from="a@gw.example/v" to="b@x.example"><x xmlns="jabber:x:conference" jid="${room}" reason=""/></message>`, {
    kind: 'directInvitation', from: 'a@gw.example/v', to: 'b@x.example', room
  })
})

t.test('invitations that break the contract are rejected with the matching condition', async (t) => {
  const x = '<x xmlns="http://jabber.org/protocol/muc#user">'
  const cases: Array<[string, string, string]> = [
    ['an <invite/> naming neither to nor from', `<message from="a@b.example/r" to="${room}">${x}<invite/></x></message>`, 'bad-request'],
    ['two invitees in one message', `<message from="a@b.example/r" to="${room}">${x}<invite to="c@d.example"/><invite to="e@f.example"/></x></message>`, 'feature-not-implemented'],
    ['an invitee that is not an address', `<message from="a@b.example/r" to="${room}">${x}<invite to="not an address"/></x></message>`, 'jid-malformed'],
    ['a request sent to an occupant rather than the bare room', `<message from="a@b.example/r" to="${room}/nick">${x}<invite to="c@d.example"/></x></message>`, 'jid-malformed'],
    ['a direct invitation without a room', '<message from="a@b.example/r" to="c@d.example"><x xmlns="jabber:x:conference"/></message>', 'bad-request'],
    ['a direct invitation to a room occupant JID', `<message from="a@b.example/r" to="c@d.example"><x xmlns="jabber:x:conference" jid="${room}/nick"/></message>`, 'jid-malformed'],
    ['a reason of 1024 bytes', `<message from="a@b.example/r" to="c@d.example"><x xmlns="jabber:x:conference" jid="${room}" reason="${'x'.repeat(1024)}"/></message>`, 'not-acceptable']
  ]
  for (const [why, xml, condition] of cases) {
    t.test(why, async (t) => assertRejects(t, xml, condition))
  }
})
