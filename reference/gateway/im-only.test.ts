// IM-only grid users (spec chapter 11): a grid account signed on through an XMPP app — over
// WebSocket with @xmpp/client and over BOSH with strophe.js — is online "at the gateway" and
// exchanges messages and presence with a user on a region. No Jabber server is involved.
import t, { type Test } from 'tap'
import { Element } from 'ltx'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomUUID } from 'node:crypto'
import { WebSocket } from 'ws'
import { DOMParser } from '@xmldom/xmldom'
// @ts-expect-error xmlhttprequest-ssl ships no type declarations
import XHR from 'xmlhttprequest-ssl'
import { $msg, $pres, Strophe } from 'strophe.js'
import { startTestClient } from '../../tools/xmpp-servers/index.ts'
import { ClientSession, is } from '../../conformance/lib/client-session.ts'
import { createLogger, PeerClient } from '../lib/http/index.ts'
import { startGrid } from '../grid/start-grid.ts'

;(globalThis as Record<string, unknown>).WebSocket ??= WebSocket
class NodeXMLHttpRequest extends (XHR as new (options: object) => object) {
  constructor () {
    super({ xmlParser: (text: string) => new DOMParser().parseFromString(text, 'text/xml') })
  }
}
;(globalThis as Record<string, unknown>).XMLHttpRequest = NodeXMLHttpRequest

const GW = 'grid.localhost'

async function setup (t: Test) {
  const dataDir = mkdtempSync(join(tmpdir(), 'gridim-imonly-'))
  const grid = await startGrid({ dataDir, regionCount: 1, logger: createLogger({ test: 'im-only' }), gateway: { domain: GW } })
  t.teardown(async () => { await grid.stop(); rmSync(dataDir, { recursive: true, force: true }) })
  const admin = new PeerClient()
  const headers = { authorization: `Bearer ${grid.adminToken}` }
  const user = async (firstName: string) => {
    const password = `${firstName}-password`
    const { userId } = (await admin.call(grid.userServerUrl, 'adminCreateUser', { headers, body: { firstName, lastName: 'Test', password } })).body
    return { userId, password }
  }
  const a = await user('Ada')
  const e = await user('Eve')
  await admin.call(grid.userServerUrl, 'adminCreateFriendship', { headers, body: { userIds: [a.userId, e.userId], rights: { ab: 1, ba: 1 } } })
  const A = await ClientSession.login(grid.regionInfo[0]!.url, 'Ada', 'Test', a.password)
  const state = async (userId: string) => (await admin.call(grid.userServerUrl, 'adminGetUser', { headers, params: { userId } })).body
  const offline = async (userId: string) => (await admin.call(grid.userServerUrl, 'adminListOfflineMessages', { headers, params: { userId } })).body.messages
  return { grid, gateway: grid.gateway!, a, e, A, state, offline }
}

t.test('over WebSocket: stored message after initial presence, presence both ways, chat both ways, sign-off', async (t) => {
  const { gateway, e, A, state, offline } = await setup(t)
  const stored = await A.call('clientSendInstantMessage', { body: { toUserId: e.userId, body: 'Waiting for you' } })
  t.equal(stored.outcome, 'stored')

  const started = Date.now()
  const E = await startTestClient({ service: `ws://127.0.0.1:${new URL(gateway.url).port}/xmpp-websocket`, domain: GW, username: 'eve.test', password: e.password, resource: 'app' })
  t.teardown(() => E.stop())
  t.comment(`WebSocket login (SASL PLAIN → signOn) in ${Date.now() - started} ms`)
  t.match(await state(e.userId), { online: true, regionId: gateway.regionId }, 'E is online at the gateway (GRIDIM-XMPP-7)')
  await A.waitFor(is.presence(e.userId, 'online'), 10_000, 'E online')

  const roster = (await E.xmpp.iqCaller.request(new Element('iq', { type: 'get', id: 'roster-1' }).c('query', { xmlns: 'jabber:iq:roster' }).up())).getChild('query')!
  t.same(roster.getChildren('item').map((i: Element) => i.attrs), [{ jid: `ada.test@${GW}`, name: 'Ada Test', subscription: 'both' }], 'roster = friend list (GRIDIM-XMPP-13)')

  // GRIDIM-XMPP-12: nothing before initial presence; then A's presence and the stored message.
  const adaOnline = E.next((el) => el.name === 'presence' && el.attrs.from === `ada.test@${GW}/grid`)
  const waiting = E.next((el) => el.name === 'message' && el.getChildText('body') === 'Waiting for you')
  await E.xmpp.send(new Element('presence'))
  await adaOnline
  const m1 = await waiting
  t.equal(m1.attrs.id, stored.messageId, 'the stored message keeps its messageId (GRIDIM-XMPP-27)')
  t.ok(m1.getChild('delay', 'urn:xmpp:delay'), 'with an XEP-0203 delay stamp')
  // GRIDIM-OFFL-8: acknowledged (deleted at the user server) once the stanza was written.
  for (let i = 0; i < 50 && (await offline(e.userId)).length > 0; i++) await new Promise((resolve) => setTimeout(resolve, 100))
  t.same(await offline(e.userId), [], 'the stored message was acknowledged after it was sent')

  const sent = Date.now()
  const live = E.next((el) => el.name === 'message' && el.getChildText('body') === 'Welcome back')
  const m2 = await A.call('clientSendInstantMessage', { body: { toUserId: e.userId, body: 'Welcome back' } })
  t.equal(m2.outcome, 'delivered')
  t.equal((await live).attrs.id, m2.messageId)
  t.comment(`region → gateway → WebSocket client in ${Date.now() - sent} ms`)
  // GRIDIM-IM-22: written to E's stream, so read: nothing of it would go back at a sign-off.
  t.equal(gateway.region.context.messages.stateOf(m2.messageId)?.state, 'read', 'a written stanza counts as read')

  const id = randomUUID()
  await E.xmpp.send(new Element('message', { type: 'chat', to: `ada.test@${GW}`, id }).c('body').t('Thanks').up())
  const reply = await A.waitFor(is.message(e.userId, 'Thanks'), 10_000, 'E\'s reply')
  t.match(reply.data, { messageId: id, fromName: 'Eve Test' }, 'the gateway sends as E\'s region (GRIDIM-XMPP-29)')

  // A typing → E only after E has used chat states (GRIDIM-XMPP-33); E typing → A (GRIDIM-XMPP-32).
  await E.xmpp.send(new Element('message', { type: 'chat', to: `ada.test@${GW}` }).c('composing', { xmlns: 'http://jabber.org/protocol/chatstates' }).up())
  await A.waitFor((ev) => ev.type === 'chatState' && ev.data.fromUserId === e.userId && ev.data.state === 'composing', 10_000, 'E typing')
  const typing = E.next((el) => el.name === 'message' && el.getChild('paused', 'http://jabber.org/protocol/chatstates') !== undefined)
  await A.call('clientSendChatState', { body: { toUserId: e.userId, state: 'paused' } })
  await typing

  // An unknown grid address: item-not-found, nothing sent (GRIDIM-ID-9).
  const refused = E.next((el) => el.name === 'message' && el.attrs.type === 'error')
  await E.xmpp.send(new Element('message', { type: 'chat', to: `nobody.here@${GW}`, id: 'x1' }).c('body').t('hello?').up())
  t.ok((await refused).getChild('error')?.getChild('item-not-found', 'urn:ietf:params:xml:ns:xmpp-stanzas'), 'item-not-found')

  await E.stop()
  await A.waitFor(is.presence(e.userId, 'offline'), 10_000, 'E offline')
  t.match(await state(e.userId), { online: false }, 'the stream ended: E is signed off (GRIDIM-XMPP-10)')
})

t.test('a wrong password is SASL not-authorized; nobody is signed on (GRIDIM-XMPP-7)', async (t) => {
  const { gateway, e, state } = await setup(t)
  await t.rejects(startTestClient({ service: `ws://127.0.0.1:${new URL(gateway.url).port}/xmpp-websocket`, domain: GW, username: 'eve.test', password: 'wrong', timeoutMs: 5000 }), /not-authorized/)
  t.match(await state(e.userId), { online: false })
})

t.test('over BOSH with strophe.js: login, presence and a message each way', async (t) => {
  const { gateway, e, A } = await setup(t)
  const connection = new Strophe.Connection(`${gateway.url}/http-bind`)
  t.teardown(() => { connection.reset() })
  const started = Date.now()
  await new Promise<void>((resolve, reject) => {
    connection.connect(`eve.test@${GW}/strophe`, e.password, (status: number) => {
      if (status === Strophe.Status.CONNECTED) resolve()
      if (status === Strophe.Status.AUTHFAIL || status === Strophe.Status.CONNFAIL) reject(new Error(`strophe status ${status}`))
    })
  })
  t.comment(`strophe BOSH login in ${Date.now() - started} ms`)
  type DomElement = { getAttribute (name: string): string | null, getElementsByTagName (n: string): ArrayLike<{ textContent: string | null }> }
  const got = new Promise<DomElement>((resolve) => {
    connection.addHandler((stanza: DomElement) => { resolve(stanza); return false }, null, 'message', 'chat')
  })
  connection.send($pres())
  await A.waitFor(is.presence(e.userId, 'online'), 10_000, 'E online')
  const sent = await A.call('clientSendInstantMessage', { body: { toUserId: e.userId, body: 'Over BOSH' } })
  const stanza = await got
  t.equal(stanza.getAttribute('id'), sent.messageId)
  t.equal(stanza.getElementsByTagName('body')[0]?.textContent, 'Over BOSH')
  connection.send($msg({ to: `ada.test@${GW}`, type: 'chat', id: 'strophe-1' }).c('body').t('From strophe'))
  await A.waitFor(is.message(e.userId, 'From strophe'), 10_000, 'E\'s BOSH message')
  connection.disconnect('bye')
  await A.waitFor(is.presence(e.userId, 'offline'), 10_000, 'E offline after the BOSH session ends')
})

t.test('friendship over XMPP: subscribe offers, the grid accepts, unsubscribe ends it (GRIDIM-XMPP-14..19)', async (t) => {
  const { grid, gateway, e } = await setup(t)
  const admin = new PeerClient()
  const headers = { authorization: `Bearer ${grid.adminToken}` }
  const password = 'Zed-password'
  await admin.call(grid.userServerUrl, 'adminCreateUser', { headers, body: { firstName: 'Zed', lastName: 'Test', password } })
  const Z = await ClientSession.login(grid.regionInfo[0]!.url, 'Zed', 'Test', password)
  const E = await startTestClient({ service: `ws://127.0.0.1:${new URL(gateway.url).port}/xmpp-websocket`, domain: GW, username: 'eve.test', password: e.password, resource: 'app' })
  t.teardown(() => E.stop())
  await E.xmpp.send(new Element('presence'))

  // E asks Zed: an offer on the grid (GRIDIM-XMPP-15), with E's status as its message.
  await E.xmpp.send(new Element('presence', { to: `zed.test@${GW}`, type: 'subscribe' }).c('status').t('Hi Zed').up())
  const offer = await Z.waitFor(is.type('friendshipOffer', (d) => d.fromUserId === e.userId), 10_000, 'the offer')
  t.equal(offer.data.message, 'Hi Zed')

  // Zed accepts: E gets subscribed and a roster push, and no subscribe: as E's server the gateway
  // knows Zed is subscribed already (GRIDIM-XMPP-14, -54).
  const seen: Element[] = []
  E.xmpp.on('stanza', (el: Element) => { seen.push(el) })
  const subscribed = E.next((el) => el.name === 'presence' && el.attrs.type === 'subscribed' && el.attrs.from === `zed.test@${GW}`)
  const push = E.next((el) => el.name === 'iq' && el.attrs.type === 'set' && el.getChild('query', 'jabber:iq:roster') !== undefined)
  await Z.call('clientAcceptFriendshipOffer', { params: { offerId: offer.data.offerId } })
  await subscribed
  t.match((await push).getChild('query')?.getChild('item')?.attrs, { jid: `zed.test@${GW}`, name: 'Zed Test', subscription: 'both' })
  await ping(E)
  t.notOk(seen.some((el) => el.name === 'presence' && el.attrs.type === 'subscribe'), 'no subscribe to an IM-only user (GRIDIM-XMPP-54)')

  // E unsubscribes: the friendship ends for Zed too (GRIDIM-XMPP-19).
  await E.xmpp.send(new Element('presence', { to: `zed.test@${GW}`, type: 'unsubscribe' }))
  await Z.waitFor((ev) => ev.type === 'friendshipEnded' && ev.data.friendId === e.userId, 10_000, 'the end of the friendship')
  const friends = await Z.call('clientListFriends')
  t.notOk(friends.some((f) => f.userId === e.userId))

  // Zed offers, E declines with unsubscribed (GRIDIM-XMPP-16, -17).
  const asked = E.next((el) => el.name === 'presence' && el.attrs.type === 'subscribe' && el.attrs.from === `zed.test@${GW}`)
  await Z.call('clientOfferFriendship', { body: { toUserId: e.userId, message: 'Again?' } })
  t.equal((await asked).getChildText('status'), 'Again?')
  t.equal((await asked).getChildText('nick', 'http://jabber.org/protocol/nick'), 'Zed Test', "the offerer's grid name as XEP-0172 nick (GRIDIM-XMPP-62)")
  await E.xmpp.send(new Element('presence', { to: `zed.test@${GW}`, type: 'unsubscribed' }))
  await Z.waitFor((ev) => ev.type === 'friendshipDeclined' && ev.data.byUserId === e.userId, 10_000, 'the decline')
})

/** An XEP-0199 ping of the gateway: whatever the gateway wrote to E before it has arrived. */
async function ping (client: { xmpp: { iqCaller: { request: (el: Element, ms?: number) => Promise<Element> } } }): Promise<void> {
  await client.xmpp.iqCaller.request(new Element('iq', { type: 'get', to: GW }).c('ping', { xmlns: 'urn:xmpp:ping' }).up(), 10_000)
}

t.test('subscription states: the gateway keeps a server\'s duties (RFC 6121 §3.1.3–§3.1.6; GRIDIM-XMPP-50..55)', async (t) => {
  const { grid, gateway, e, A } = await setup(t)
  const admin = new PeerClient()
  const headers = { authorization: `Bearer ${grid.adminToken}` }
  await admin.call(grid.userServerUrl, 'adminCreateUser', { headers, body: { firstName: 'Sam', lastName: 'Test', password: 'Sam-password' } })
  await admin.call(grid.userServerUrl, 'adminCreateUser', { headers, body: { firstName: 'Zed', lastName: 'Test', password: 'Zed-password' } })
  const Z = await ClientSession.login(grid.regionInfo[0]!.url, 'Zed', 'Test', 'Zed-password')
  const E = await startTestClient({ service: `ws://127.0.0.1:${new URL(gateway.url).port}/xmpp-websocket`, domain: GW, username: 'eve.test', password: e.password, resource: 'app' })
  t.teardown(() => E.stop())
  await E.xmpp.send(new Element('presence'))
  await A.waitFor(is.presence(e.userId, 'online'), 10_000, 'E online')
  const seen: Element[] = []
  E.xmpp.on('stanza', (el: Element) => { seen.push(el) })
  const from = (who: string, type: string) => seen.filter((el) => el.name === 'presence' && el.attrs.from === who && el.attrs.type === type)

  // A friend's subscribe: the auto-reply, and nothing else (GRIDIM-XMPP-50).
  const auto = E.next((el) => el.name === 'presence' && el.attrs.type === 'subscribed' && el.attrs.from === `ada.test@${GW}`)
  await E.xmpp.send(new Element('presence', { to: `ada.test@${GW}`, type: 'subscribe' }))
  await auto
  await ping(E)
  t.equal(from(`ada.test@${GW}`, 'subscribe').length, 0, 'no new subscribe from the friend')
  t.equal(from(`ada.test@${GW}`, 'subscribed').length, 1, 'exactly one auto-reply')

  // Approvals nobody asked for, and cancellations of nothing: no stanza, no change (GRIDIM-XMPP-51, -55).
  const before = seen.length
  await E.xmpp.send(new Element('presence', { to: `ada.test@${GW}`, type: 'subscribed' }))
  await E.xmpp.send(new Element('presence', { to: `sam.test@${GW}`, type: 'subscribed' }))
  await E.xmpp.send(new Element('presence', { to: `sam.test@${GW}`, type: 'unsubscribed' }))
  await E.xmpp.send(new Element('presence', { to: `sam.test@${GW}`, type: 'unsubscribe' }))
  await ping(E)
  t.same(seen.slice(before).filter((el) => el.name === 'presence').map((el) => el.toString()), [], 'nothing answered')
  const friends = await A.call('clientListFriends')
  t.ok(friends.some((f) => f.userId === e.userId), 'Ada and E are still friends')

  // Zed offers; E approves with subscribed: a roster push with Zed's name and Zed's presence (GRIDIM-XMPP-52).
  const asked = E.next((el) => el.name === 'presence' && el.attrs.type === 'subscribe' && el.attrs.from === `zed.test@${GW}`)
  await Z.call('clientOfferFriendship', { body: { toUserId: e.userId } })
  await asked
  const push = E.next((el) => el.name === 'iq' && el.attrs.type === 'set' && el.getChild('query', 'jabber:iq:roster') !== undefined)
  const online = E.next((el) => el.name === 'presence' && el.attrs.type === undefined && el.attrs.from === `zed.test@${GW}/grid`)
  await E.xmpp.send(new Element('presence', { to: `zed.test@${GW}`, type: 'subscribed' }))
  t.match((await push).getChild('query')?.getChild('item')?.attrs, { jid: `zed.test@${GW}`, name: 'Zed Test', subscription: 'both' })
  await online
  await Z.waitFor((ev) => ev.type === 'friendshipAccepted' && ev.data.friendId === e.userId, 10_000, 'the acceptance')
  // A second approval of the settled offer is ignored like any other (GRIDIM-XMPP-51).
  const after = seen.length
  await E.xmpp.send(new Element('presence', { to: `zed.test@${GW}`, type: 'subscribed' }))
  await ping(E)
  t.same(seen.slice(after).filter((el) => el.name === 'presence' || (el.name === 'iq' && el.attrs.type === 'set')).map(String), [], 'nothing more')

  // Crossing offers: E asks Sam, Sam offers E too, then accepts E's offer on the grid, which
  // settles Sam's. E's late approval of Sam's offer finds nothing pending and is dropped.
  const Sam = await ClientSession.login(grid.regionInfo[0]!.url, 'Sam', 'Test', 'Sam-password')
  await E.xmpp.send(new Element('presence', { to: `sam.test@${GW}`, type: 'subscribe' }))
  const fromE = await Sam.waitFor(is.type('friendshipOffer', (d) => d.fromUserId === e.userId), 10_000, 'E\'s offer')
  const samAsks = E.next((el) => el.name === 'presence' && el.attrs.type === 'subscribe' && el.attrs.from === `sam.test@${GW}`)
  await Sam.call('clientOfferFriendship', { body: { toUserId: e.userId } })
  await samAsks
  const approved = E.next((el) => el.name === 'presence' && el.attrs.type === 'subscribed' && el.attrs.from === `sam.test@${GW}`)
  await Sam.call('clientAcceptFriendshipOffer', { params: { offerId: fromE.data.offerId } })
  await approved
  const late = seen.length
  await E.xmpp.send(new Element('presence', { to: `sam.test@${GW}`, type: 'subscribed' }))
  await ping(E)
  t.same(seen.slice(late).filter((el) => el.name === 'presence').map(String), [], 'an approval of a settled offer is dropped (GRIDIM-XMPP-51)')
  t.ok((await Sam.call('clientListFriends')).some((f) => f.userId === e.userId), 'and the friendship stands')
})

t.test('a second login replaces the first stream with <conflict/> (GRIDIM-XMPP-9); hostile XML closes only its own stream', async (t) => {
  const { gateway, e, A } = await setup(t)
  const service = `ws://127.0.0.1:${new URL(gateway.url).port}/xmpp-websocket`
  const first = await startTestClient({ service, domain: GW, username: 'eve.test', password: e.password, resource: 'one' })
  t.teardown(() => first.stop())
  const closed = new Promise<string>((resolve) => { first.xmpp.on('error', (err: Error & { condition?: string }) => resolve(String(err.condition ?? err.message))) })
  const second = await startTestClient({ service, domain: GW, username: 'eve.test', password: e.password, resource: 'two' })
  t.teardown(() => second.stop())
  t.equal(await closed, 'conflict')
  await second.xmpp.send(new Element('presence'))
  await A.waitFor(is.presence(e.userId, 'online'), 10_000, 'E online')

  // A raw client sends a DTD: restricted-xml for it (GRIDIM-XMPP-43); E's stream is untouched.
  const raw = new WebSocket(service, ['xmpp'])
  const frames: string[] = []
  raw.on('message', (d) => frames.push(d.toString()))
  await new Promise((resolve) => raw.on('open', resolve))
  raw.send(`<open xmlns='urn:ietf:params:xml:ns:xmpp-framing' to='${GW}' version='1.0'/>`)
  raw.send('<!DOCTYPE x [<!ENTITY a "aaaa">]><message>&a;</message>')
  await new Promise((resolve) => raw.on('close', resolve))
  t.match(frames.join(''), /restricted-xml/)
  const live = second.next((el) => el.name === 'message' && el.getChildText('body') === 'still here')
  await A.call('clientSendInstantMessage', { body: { toUserId: e.userId, body: 'still here' } })
  await live
})

t.test('rooms for an IM-only user: invitation, disco#info, join, speak, leave, errors (GRIDIM-XMPP-34..42)', async (t) => {
  const { grid, gateway, a, e, A } = await setup(t)
  const admin = new PeerClient()
  const headers = { authorization: `Bearer ${grid.adminToken}` }
  const z = (await admin.call(grid.userServerUrl, 'adminCreateUser', { headers, body: { firstName: 'Zed', lastName: 'Test', password: 'Zed-password' } })).body
  const Z = await ClientSession.login(grid.regionInfo[0]!.url, 'Zed', 'Test', 'Zed-password')
  const group = (await admin.call(grid.userServerUrl, 'adminCreateGroup', { headers, body: { name: 'Tea', memberIds: [a.userId, e.userId, z.userId] } })).body
  const E = await startTestClient({ service: `ws://127.0.0.1:${new URL(gateway.url).port}/xmpp-websocket`, domain: GW, username: 'eve.test', password: e.password, resource: 'app' })
  t.teardown(() => E.stop())
  await E.xmpp.send(new Element('presence'))
  await A.waitFor(is.presence(e.userId, 'online'), 10_000, 'E online')

  const nowhere = E.next((el) => el.name === 'presence' && el.attrs.type === 'error')
  await E.xmpp.send(new Element('presence', { to: `${randomUUID()}@${GW}/Eve Test` }).c('x', { xmlns: 'http://jabber.org/protocol/muc' }).up())
  t.ok((await nowhere).getChild('error')?.getChild('item-not-found', 'urn:ietf:params:xml:ns:xmpp-stanzas'), 'no such session: item-not-found (GRIDIM-XMPP-37)')

  const invited = E.next((el) => el.name === 'message' && el.getChild('x', 'jabber:x:conference') !== undefined)
  const gs = await A.call('clientStartGroupSession', { body: { groupId: group.groupId } })
  const room = `${gs.groupSessionId}@${GW}`
  t.match((await invited).getChild('x', 'jabber:x:conference')?.attrs, { jid: room, reason: 'Tea' })
  t.equal((await invited).attrs.from, `ada.test@${GW}/grid`, 'from the starter (GRIDIM-XMPP-35)')

  const info = await E.xmpp.iqCaller.request(new Element('iq', { type: 'get', to: room, id: 'disco-1' }).c('query', { xmlns: 'http://jabber.org/protocol/disco#info' }).up())
  const query = info.getChild('query')!
  t.match(query.getChild('identity')?.attrs, { category: 'conference', type: 'text' }, 'disco#info identity (GRIDIM-XMPP-34)')
  t.ok(query.getChildren('feature').some((f: Element) => f.attrs.var === 'http://jabber.org/protocol/muc'))

  const refused = E.next((el) => el.name === 'message' && el.attrs.type === 'error')
  await E.xmpp.send(new Element('message', { type: 'groupchat', to: room, id: 'early' }).c('body').t('too soon').up())
  t.ok((await refused).getChild('error')?.getChild('not-acceptable', 'urn:ietf:params:xml:ns:xmpp-stanzas'), 'not an occupant: not-acceptable (GRIDIM-XMPP-38)')

  const join = async (): Promise<void> => {
    const self = E.next((el) => el.name === 'presence' && el.attrs.type === undefined && el.attrs.from === `${room}/Eve Test`)
    await E.xmpp.send(new Element('presence', { to: `${room}/Eve Test` }).c('x', { xmlns: 'http://jabber.org/protocol/muc' }).up())
    await self
  }
  await join()
  const reflected = E.next((el) => el.name === 'message' && el.attrs.type === 'groupchat' && el.getChildText('body') === 'Tea time')
  await E.xmpp.send(new Element('message', { type: 'groupchat', to: room, id: randomUUID() }).c('body').t('Tea time').up())
  await A.waitFor(is.groupMessage(gs.groupSessionId, 'Tea time'), 10_000, 'E\'s group message')
  t.equal((await reflected).attrs.from, `${room}/Eve Test`)

  // E leaves: the user server is told, and A hears of it (GRIDIM-XMPP-40).
  const left = E.next((el) => el.name === 'presence' && el.attrs.type === 'unavailable' && el.attrs.from === `${room}/Eve Test`)
  await E.xmpp.send(new Element('presence', { to: `${room}/Eve Test`, type: 'unavailable' }))
  await left
  await A.waitFor((ev) => ev.type === 'groupSessionMemberLeft' && ev.data.userId === e.userId, 10_000, 'E left')

  // E joins again; Zed leaves: E sees Zed's occupant presence go (GRIDIM-XMPP-41). A leaves
  // too, and the session closes with E alone: E sees the room destroyed (GRIDIM-XMPP-42).
  await join()
  const zedLeft = E.next((el) => el.name === 'presence' && el.attrs.type === 'unavailable' && el.attrs.from === `${room}/Zed Test`)
  await Z.call('clientLeaveGroupSession', { params: { groupSessionId: gs.groupSessionId } })
  await zedLeft
  const destroyed = E.next((el) => el.name === 'presence' && el.attrs.type === 'unavailable' && el.attrs.from === `${room}/Eve Test`)
  await A.call('clientLeaveGroupSession', { params: { groupSessionId: gs.groupSessionId } })
  t.ok((await destroyed).getChild('x', 'http://jabber.org/protocol/muc#user')?.getChild('destroy'), 'the room is destroyed with the session')
})
