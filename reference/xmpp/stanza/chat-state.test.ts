import t from 'tap'
import type { ChatStateName } from '../../../openapi/stanzas/index.ts'
import { assertReads, assertRejects, assertRoundTrip } from './test-support.ts'

const states: ChatStateName[] = ['active', 'composing', 'paused', 'inactive', 'gone']

t.test('each of the five chat states survives object → stanza → object (XEP-0085 §2)', async (t) => {
  for (const state of states) {
    const xml = assertRoundTrip(t, { kind: 'chatState', from: 'romeo.montague@gw.example/viewer', to: 'juliet@capulet.lit', state })
    t.match(xml, new RegExp(`^<message type="chat" [^>]*><${state} xmlns="http://jabber.org/protocol/chatstates"/></message>$`))
  }
})

t.test('a standalone notification keeps its id and thread (XEP-0085 §5.6)', async (t) => {
  assertRoundTrip(t, { kind: 'chatState', from: 'a@b.example/r', to: 'c@d.example', id: 'cs-1', state: 'paused', thread: 'thread-7' })
})

t.test('a composing notification as Conversations sends it through Prosody is read as a chat state', async (t) => {
  const xml = `<message xmlns="jabber:client" to="romeo.montague@gw.example" type="chat" id="c3e5ab4d-2bcf-4b2f-b2c6-d0c9c2a6f5a1" from="juliet@capulet.lit/Conversations.Xk3B">
    <composing xmlns="http://jabber.org/protocol/chatstates"/>
    <no-store xmlns="urn:xmpp:hints"/>
  </message>`
  assertReads(t, xml, {
    kind: 'chatState',
    from: 'juliet@capulet.lit/Conversations.Xk3B',
    to: 'romeo.montague@gw.example',
    id: 'c3e5ab4d-2bcf-4b2f-b2c6-d0c9c2a6f5a1',
    state: 'composing'
  })
})

t.test('a chat state element from another namespace is not a chat state', async (t) => {
  assertRejects(t, '<message type="chat" from="a@b.example/r" to="c@d.example"><composing xmlns="urn:example:other"/></message>', 'feature-not-implemented')
})

t.test('an unknown element in the chat states namespace is rejected as bad-request', async (t) => {
  assertRejects(t, '<message type="chat" from="a@b.example/r" to="c@d.example"><typing xmlns="http://jabber.org/protocol/chatstates"/></message>', 'bad-request')
})

t.test('a message with no body, no chat state and no invitation is not mapped (e.g. a receipt)', async (t) => {
  assertRejects(t, '<message type="chat" from="a@b.example/r" to="c@d.example" id="r1"><received xmlns="urn:xmpp:receipts" id="x"/></message>', 'feature-not-implemented')
})
