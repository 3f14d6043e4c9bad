// Stanzas are read as the schema they are meant to be and judged against it; a send action's
// stanza is built, checked and mapped to XML.
import t from 'tap'
import { parseStanzaXml } from '../../reference/xmpp/stanza/index.ts'
import { buildStanza, defaultFrom, kindOf } from './build-stanza.ts'
import { checkObject, judgeStanza, readChecked } from './judge-stanza.ts'
import { schemaOf, STANZA_NAMES } from './read-as.ts'

const xml = parseStanzaXml
const ADA = 'ada.lovelace@grid.localhost'
const DANA = 'dana@jabber.localhost/phone'

t.test('each stanza is meant as the schema its name, type and marker children say', async (t) => {
  const cases: Array<[string, string | undefined, 'sent' | 'received']> = [
    [`<message type='chat' id='1' from='${ADA}/grid' to='${DANA}'><body>hi</body></message>`, 'chat-message', 'received'],
    [`<message id='1' from='${ADA}/grid' to='${DANA}'><body>hi</body></message>`, 'chat-message', 'received'],
    [`<message type='chat' from='${ADA}/grid' to='${DANA}'><paused xmlns='http://jabber.org/protocol/chatstates'/></message>`, 'chat-state', 'received'],
    [`<message type='groupchat' id='1' from='r@${'grid.localhost'}/Ada' to='${DANA}'><body>hi</body></message>`, 'groupchat-message', 'received'],
    [`<message type='groupchat' from='r@grid.localhost' to='${DANA}'><subject>s</subject></message>`, undefined, 'received'],
    [`<message type='headline' from='${ADA}' to='${DANA}'><body>news</body></message>`, undefined, 'received'],
    [`<message from='${ADA}' to='${DANA}'><x xmlns='jabber:x:conference' jid='r@grid.localhost'/></message>`, 'direct-invitation', 'received'],
    [`<message from='r@grid.localhost' to='${DANA}'><x xmlns='http://jabber.org/protocol/muc#user'><invite from='${ADA}'/></x><body>join</body></message>`, 'muc-invitation', 'received'],
    [`<message type='error' from='${ADA}' to='${DANA}'><error type='cancel'><item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>`, 'message-error', 'received'],
    [`<presence from='${ADA}/grid' to='${DANA}'/>`, 'presence-available', 'received'],
    [`<presence to='r@grid.localhost/Dana'><x xmlns='http://jabber.org/protocol/muc'/></presence>`, 'muc-join', 'sent'],
    [`<presence type='unavailable' from='r@grid.localhost/Ada' to='${DANA}'/>`, 'presence-unavailable', 'received'],
    [`<presence type='unavailable' to='r@grid.localhost/Dana'/>`, 'muc-leave', 'sent'],
    [`<presence type='unavailable'/>`, 'presence-unavailable', 'sent'],
    [`<presence type='subscribe' from='${ADA}' to='dana@jabber.localhost'/>`, 'presence-subscribe', 'received'],
    [`<presence type='unsubscribed' from='${ADA}' to='dana@jabber.localhost'/>`, 'presence-unsubscribed', 'received'],
    [`<presence type='error' from='r@grid.localhost/Dana' to='${DANA}'><error type='cancel'><item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></presence>`, 'presence-error', 'received'],
    [`<iq type='result' id='r1' to='${DANA}'/>`, undefined, 'received']
  ]
  for (const [text, schema, direction] of cases) t.equal(schemaOf(xml(text), direction), schema, text)
})

t.test('a conforming stanza has no problems and reads as its object', async (t) => {
  const verdict = judgeStanza(xml(`<message type='chat' id='m1' from='${ADA}/grid' to='${DANA}'><body>hi</body><active xmlns='http://jabber.org/protocol/chatstates'/></message>`), 'received')
  t.same(verdict.problems, [])
  t.same(verdict.stanza, { kind: 'chatMessage', from: `${ADA}/grid`, to: DANA, id: 'm1', body: 'hi', chatState: 'active' })
})

t.test('a stanza that breaks its schema gets problems naming the schema and the rule', async (t) => {
  const noId = judgeStanza(xml(`<message type='chat' from='${ADA}/grid' to='${DANA}'><body>hi</body></message>`), 'received')
  t.equal(noId.schema, 'chat-message')
  t.match(noId.problems, [/^urn:gridim:stanza:chat-message: bad-request: this <message\/> needs an id/])
  const long = judgeStanza(xml(`<message type='chat' id='x' from='${ADA}/grid' to='${DANA}'><body>${'€'.repeat(342)}</body></message>`), 'received')
  t.match(long.problems, [/urn:gridim:stanza:chat-message: not-acceptable/], 'a body over 1023 bytes of UTF-8')
  const fullFrom = judgeStanza(xml(`<presence type='subscribed' from='${ADA}/grid' to='dana@jabber.localhost'/>`), 'received')
  t.match(fullFrom.problems, [/urn:gridim:stanza:presence-subscribed: \/from must match pattern/], 'a subscription from a full JID breaks the schema, though the mapping reads it')
  const badJid = judgeStanza(xml(`<presence from='a@b@c' to='${DANA}'/>`), 'received')
  t.match(badJid.problems, [/urn:gridim:stanza:presence-available: jid-malformed/])
  t.same(judgeStanza(xml(`<iq type='get' id='1'/>`), 'received'), { problems: [] }, 'no schema applies to an IQ')
})

t.test('reading as a named schema: the object, or the problems', async (t) => {
  t.same(readChecked('presence-unavailable', xml(`<presence type='unavailable' from='${ADA}/grid'/>`)), { stanza: { kind: 'presenceUnavailable', from: `${ADA}/grid` }, problems: [] })
  t.match(readChecked('chat-message', xml(`<message type='chat' from='${ADA}' to='${DANA}'/>`)).problems, [/needs? .*body|without a <body\/>/])
  // XEP-0045 §7.8.2: an <invite/> with `to` is the inviter's request, even when it also has `from`.
  const both = xml(`<message from='${DANA}' to='r@grid.localhost'><x xmlns='http://jabber.org/protocol/muc#user'><invite to='${ADA}' from='${ADA}'/></x></message>`)
  t.same(readChecked('muc-invitation', both), { problems: ['urn:gridim:stanza:muc-invitation: bad-request: it reads as mucInvite, not mucInvitation'] }, 'read as the room passing it on, it breaks that schema')
})

t.test('objects are checked against the JSON Schema, naming the member', async (t) => {
  t.same(checkObject('chat-message', { kind: 'chatMessage', from: DANA, to: ADA, id: 'x', body: 'hi' }), [])
  t.match(checkObject('chat-message', { kind: 'chatMessage', from: DANA, to: ADA, body: 'hi' }), [/urn:gridim:stanza:chat-message: \/ must have required property 'id'/])
  t.match(checkObject('presence-subscribe', { kind: 'presenceSubscribe', from: DANA, to: ADA }), [/\/from must match pattern/], 'a subscription is between bare JIDs')
  t.match(checkObject('chat-state', { kind: 'chatState', from: DANA, to: ADA, state: 'typing', extra: 1 }).join('\n'), /\/state must be equal to one of|must match a schema in anyOf|additional properties \(extra\)/)
})

t.test('a send action builds the object of its schema, checks it and maps it', async (t) => {
  t.equal(kindOf('presence-unsubscribed'), 'presenceUnsubscribed')
  t.equal(defaultFrom('presence-subscribed', DANA), 'dana@jabber.localhost', 'subscriptions go from the bare JID (RFC 6121 §3.1.2)')
  t.equal(defaultFrom('muc-join', DANA), DANA)
  for (const name of STANZA_NAMES) t.equal(kindOf(name).toLowerCase(), name.replace(/-/g, ''), name)

  const chat = buildStanza('chat-message', { to: ADA, id: 'c1', body: 'Hello A' }, DANA)
  t.same(chat.problems, [])
  t.equal(chat.element.toString(), `<message type="chat" from="${DANA}" to="${ADA}" id="c1"><body>Hello A</body></message>`)

  const join = buildStanza('muc-join', { to: 'r@grid.localhost/dana@jabber.localhost' }, DANA)
  t.same(join.problems, [])
  t.equal(join.element.getChild('x')?.attrs.xmlns, 'http://jabber.org/protocol/muc')

  const headline = buildStanza('chat-message', { to: ADA, id: 'h1', body: 'Breaking news' }, DANA, { type: 'headline' })
  t.equal(headline.element.attrs.type, 'headline', 'attrs override what the mapping wrote')

  const tooLong = buildStanza('chat-message', { to: ADA, id: 'e2', body: 'x'.repeat(1024) }, DANA)
  t.match(tooLong.problems, [/\/body must NOT have more than 1023 characters/], 'a broken object is still mapped, with its problems')
  t.equal(tooLong.element.getChildText('body')?.length, 1024)
})
