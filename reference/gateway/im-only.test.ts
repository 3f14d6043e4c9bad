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
    const { userId } = (await admin.call<{ userId: string }>(grid.userServerUrl, 'adminCreateUser', { headers, body: { firstName, lastName: 'Test', password } })).body
    return { userId, password }
  }
  const a = await user('Ada')
  const e = await user('Eve')
  await admin.call(grid.userServerUrl, 'adminCreateFriendship', { headers, body: { userIds: [a.userId, e.userId], rights: { ab: 1, ba: 1 } } })
  const A = await ClientSession.login(grid.regionInfo[0]!.url, 'Ada', 'Test', a.password)
  const state = async (userId: string) => (await admin.call<{ online: boolean, regionId?: string }>(grid.userServerUrl, 'adminGetUser', { headers, params: { userId } })).body
  const offline = async (userId: string) => (await admin.call<{ messages: unknown[] }>(grid.userServerUrl, 'adminListOfflineMessages', { headers, params: { userId } })).body.messages
  return { grid, gateway: grid.gateway!, a, e, A, state, offline }
}

t.test('over WebSocket: stored message after initial presence, presence both ways, chat both ways, sign-off', async (t) => {
  const { gateway, e, A, state, offline } = await setup(t)
  const stored = await A.call<{ messageId: string, outcome: string }>('clientSendInstantMessage', { body: { toUserId: e.userId, body: 'Waiting for you' } })
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
  const m2 = await A.call<{ messageId: string, outcome: string }>('clientSendInstantMessage', { body: { toUserId: e.userId, body: 'Welcome back' } })
  t.equal(m2.outcome, 'delivered')
  t.equal((await live).attrs.id, m2.messageId)
  t.comment(`region → gateway → WebSocket client in ${Date.now() - sent} ms`)

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
  const sent = await A.call<{ messageId: string }>('clientSendInstantMessage', { body: { toUserId: e.userId, body: 'Over BOSH' } })
  const stanza = await got
  t.equal(stanza.getAttribute('id'), sent.messageId)
  t.equal(stanza.getElementsByTagName('body')[0]?.textContent, 'Over BOSH')
  connection.send($msg({ to: `ada.test@${GW}`, type: 'chat', id: 'strophe-1' }).c('body').t('From strophe'))
  await A.waitFor(is.message(e.userId, 'From strophe'), 10_000, 'E\'s BOSH message')
  connection.disconnect('bye')
  await A.waitFor(is.presence(e.userId, 'offline'), 10_000, 'E offline after the BOSH session ends')
})
