// <iq/> exchanges are read as the iq schema they are meant to be (openapi/stanzas/iq.ts) and
// judged against it like any stanza; a client's disco#info query is built from its JSON form.
import t from 'tap'
import { parseStanzaXml } from '../../reference/xmpp/stanza/index.ts'
import { isMeantAsObserved, judgeStanza, readObserved } from './judge-stanza.ts'
import { buildIq, iqSchemaOf, isIqName, NS_DISCO_INFO, NS_ROSTER } from './read-iq.ts'

const xml = parseStanzaXml
const E = 'erin.example@grid.localhost'
const ROOM = '7d0c6e0e-5a1b-4c2d-8e3f-0000000000ff@grid.localhost'

t.test('an iq is meant as the schema its type and payload namespace say', async (t) => {
  const cases: Array<[string, string | undefined]> = [
    [`<iq type='result' id='1'><query xmlns='${NS_ROSTER}'/></iq>`, 'roster-result'],
    [`<iq type='set' id='1'><query xmlns='${NS_ROSTER}'><item jid='${E}' subscription='remove'/></query></iq>`, 'roster-push'],
    [`<iq type='get' id='1' to='${ROOM}'><query xmlns='${NS_DISCO_INFO}'/></iq>`, 'disco-info-query'],
    [`<iq type='result' id='1' from='${ROOM}'><query xmlns='${NS_DISCO_INFO}'/></iq>`, 'disco-info-result'],
    [`<iq type='get' id='1'><query xmlns='${NS_ROSTER}'/></iq>`, undefined],
    [`<iq type='result' id='1'/>`, undefined],
    [`<message type='chat' id='1'><query xmlns='${NS_ROSTER}'/></message>`, undefined]
  ]
  for (const [text, name] of cases) t.equal(iqSchemaOf(xml(text)), name, text)
  t.ok(isIqName('roster-push'))
  t.notOk(isIqName('chat-message'))
  t.ok(isMeantAsObserved('roster-result', xml(cases[0]![0]), 'received'))
  t.notOk(isMeantAsObserved('chat-message', xml(cases[0]![0]), 'received'))
})

t.test('a roster result reads as its items in the order of their jid, and conforms', async (t) => {
  const verdict = judgeStanza(xml(`<iq type='result' id='r1' to='${E}/app'><query xmlns='${NS_ROSTER}' ver='v1'>` +
    `<item jid='zed@grid.localhost' name='Zed Z' subscription='both'><group>Grid</group></item>` +
    `<item jid='ada@grid.localhost' name='Ada A' subscription='both'/></query></iq>`), 'received')
  t.equal(verdict.schema, 'roster-result')
  t.same(verdict.problems, [])
  t.same(verdict.stanza, {
    kind: 'rosterResult', id: 'r1', to: `${E}/app`, ver: 'v1',
    items: [{ jid: 'ada@grid.localhost', name: 'Ada A', subscription: 'both' }, { jid: 'zed@grid.localhost', name: 'Zed Z', subscription: 'both', groups: ['Grid'] }]
  })
})

t.test('a roster item named by a full JID, or without subscription, breaks the schema', async (t) => {
  const verdict = judgeStanza(xml(`<iq type='result' id='r1'><query xmlns='${NS_ROSTER}'><item jid='ada@grid.localhost/grid' subscription='both'/><item jid='bo@grid.localhost'/></query></iq>`), 'received')
  t.equal(verdict.schema, 'roster-result')
  t.equal(verdict.stanza, undefined)
  t.match(verdict.problems.join('\n'), /urn:gridim:stanza:roster-result: \/items\/0\/jid/)
  t.match(verdict.problems.join('\n'), /\/items\/1 must have required property 'subscription'/)
})

t.test('a roster push carries exactly one item, remove included', async (t) => {
  const one = readObserved('roster-push', xml(`<iq type='set' id='p1'><query xmlns='${NS_ROSTER}'><item jid='${E}' subscription='remove'/></query></iq>`))
  t.same(one, { stanza: { kind: 'rosterPush', id: 'p1', item: { jid: E, subscription: 'remove' } }, problems: [] })
  const two = readObserved('roster-push', xml(`<iq type='set' id='p2'><query xmlns='${NS_ROSTER}'><item jid='${E}' subscription='both'/><item jid='x@grid.localhost' subscription='both'/></query></iq>`))
  t.equal(two.stanza, undefined)
  t.match(two.problems.join('\n'), /urn:gridim:stanza:roster-push: \/item must be object/)
  const fromOther = readObserved('roster-push', xml(`<iq type='set' id='p3' from='${E}/app'><query xmlns='${NS_ROSTER}'><item jid='${E}' subscription='both'/></query></iq>`))
  t.match(fromOther.problems.join('\n'), /\/from/, "a push comes from the user's bare JID or no one")
})

t.test('a disco#info result reads as its node, identities and features; one without identity breaks the schema', async (t) => {
  const good = readObserved('disco-info-result', xml(`<iq type='result' id='d1' from='${ROOM}'><query xmlns='${NS_DISCO_INFO}' node='x-roomuser-item'><identity category='conference' type='text' name='Erin Example'/></query></iq>`))
  t.same(good, { stanza: { kind: 'discoInfoResult', id: 'd1', from: ROOM, node: 'x-roomuser-item', identities: [{ category: 'conference', type: 'text', name: 'Erin Example' }], features: [] }, problems: [] })
  const room = readObserved('disco-info-result', xml(`<iq type='result' id='d2' from='${ROOM}'><query xmlns='${NS_DISCO_INFO}'><identity category='conference' type='text'/><feature var='http://jabber.org/protocol/muc'/></query></iq>`))
  t.same(room.stanza, { kind: 'discoInfoResult', id: 'd2', from: ROOM, identities: [{ category: 'conference', type: 'text' }], features: ['http://jabber.org/protocol/muc'] })
  const empty = readObserved('disco-info-result', xml(`<iq type='result' id='d3' from='${ROOM}'><query xmlns='${NS_DISCO_INFO}'/></iq>`))
  t.match(empty.problems.join('\n'), /\/identities must NOT have fewer than 1 items/)
})

t.test('a client builds a disco#info query, and only that', async (t) => {
  const query = buildIq('disco-info-query', { to: ROOM, id: 'q1', node: 'x-roomuser-item' })
  t.equal(query.toString(), `<iq type="get" to="${ROOM}" id="q1"><query xmlns="${NS_DISCO_INFO}" node="x-roomuser-item"/></iq>`)
  t.same(judgeStanza(query, 'sent'), { schema: 'disco-info-query', stanza: { kind: 'discoInfoQuery', id: 'q1', to: ROOM, node: 'x-roomuser-item' }, problems: [] })
  t.equal(buildIq('disco-info-query', { to: ROOM, id: 'q2' }).toString(), `<iq type="get" to="${ROOM}" id="q2"><query xmlns="${NS_DISCO_INFO}"/></iq>`)
  t.throws(() => buildIq('roster-push', { to: E, id: 'p' }), /roster-push is an answer or a push, which only a server sends/)
})
