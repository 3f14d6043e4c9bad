// The XMPP half of the seed against real Prosody and ejabberd (steps 4, 10–13): the gateway is a
// component of the server, D is an @xmpp/client user there, A, B and C are grid users on regions.
import t from 'tap'
import { Element } from 'ltx'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomUUID } from 'node:crypto'
import { XMPP_SERVERS, skipXmppServers, startTestClient, type TestClient } from '../../tools/xmpp-servers/index.ts'
import { ClientSession, is } from '../../conformance/lib/client-session.ts'
import { createLogger, PeerClient } from '../lib/http/index.ts'
import { foreignUserId } from '../lib/identifiers/index.ts'
import { startGrid } from '../grid/start-grid.ts'

const skip = skipXmppServers()
const GW = 'grid.localhost'
const SECRET = 'gateway-secret'
const NS_MUC = 'http://jabber.org/protocol/muc'
const NS_CONFERENCE = 'jabber:x:conference'

for (const [serverName, startServer] of Object.entries(XMPP_SERVERS)) {
  t.test(`${serverName}: seed steps 4 and 10–13 through the gateway`, { skip, timeout: 120_000 }, async (t) => {
    const server = await startServer({ components: [{ domain: GW, secret: SECRET }], users: [{ user: 'dana', password: 'danapw' }] })
    t.teardown(() => server.stop())
    const dataDir = mkdtempSync(join(tmpdir(), 'gridim-gw-'))
    t.teardown(() => rmSync(dataDir, { recursive: true, force: true }))
    const grid = await startGrid({
      dataDir, regionCount: 3, logger: createLogger({ test: 'gateway-interop' }),
      gateway: { domain: GW, jabberServer: { host: '127.0.0.1', port: server.componentPort, secret: SECRET, serverDomain: server.domain } }
    })
    t.teardown(() => grid.stop())
    const gateway = grid.gateway!
    t.ok(gateway.component?.online, 'the gateway is linked to the Jabber server as a component (GRIDIM-XMPP-1)')

    const admin = new PeerClient()
    const headers = { authorization: `Bearer ${grid.adminToken}` }
    const user = async (first: string) => {
      const password = `${first}-pw-1`
      const created = (await admin.call(grid.userServerUrl, 'adminCreateUser', { headers, body: { firstName: first, lastName: 'Test', password } })).body
      return { ...created, first, password }
    }
    const [a, b, c] = [await user('Ada'), await user('Bob'), await user('Cyd')]
    const danaJid = `dana@${server.domain}`
    const d = (await admin.call(grid.userServerUrl, 'adminCreateUser', { headers, body: { jid: danaJid } })).body
    t.equal(d.userId, foreignUserId(danaJid), 'D\'s user id is derived from the JID (GRIDIM-ID-10)')
    for (const other of [b, c]) await admin.call(grid.userServerUrl, 'adminCreateFriendship', { headers, body: { userIds: [a.userId, other.userId], rights: { ab: 1, ba: 1 } } })
    const group = (await admin.call(grid.userServerUrl, 'adminCreateGroup', { headers, body: { name: 'G', memberIds: [a.userId, b.userId, c.userId, d.userId] } })).body

    const [r1, r2, r3] = grid.regionInfo
    const A = await ClientSession.login(r1!.url, 'Ada', 'Test', a.password)
    const B = await ClientSession.login(r2!.url, 'Bob', 'Test', b.password)
    const C = await ClientSession.login(r3!.url, 'Cyd', 'Test', c.password)
    const adaJid = `ada.test@${GW}`

    // A and D become friends as Jabber users do: D asks, A accepts, each approves the other.
    const D: TestClient = await startTestClient({ service: `xmpp://127.0.0.1:${server.c2sPort}`, domain: server.domain, username: 'dana', password: 'danapw', resource: 'phone' })
    t.teardown(() => D.stop())
    D.xmpp.on('stanza', (el: Element) => {
      if (process.env.DEBUG_STANZAS) console.error('D <=', el.toString())
      // D's client approves a subscription request from a friend, as its user would.
      if (el.name === 'presence' && el.attrs.type === 'subscribe') void D.xmpp.send(new Element('presence', { to: el.attrs.from, type: 'subscribed' }))
    })
    // D, online, adds A (first contact, GRIDIM-XMPP-47); A accepts; the gateway approves and
    // asks back (GRIDIM-XMPP-18), D's client approves.
    await D.xmpp.send(new Element('presence'))
    const firstSight = D.next((el) => el.name === 'presence' && el.attrs.type === undefined && el.attrs.from === `${adaJid}/grid`)
    await D.xmpp.send(new Element('presence', { to: adaJid, type: 'subscribe' }))
    const offer = await A.waitFor(is.type('friendshipOffer', (o) => o.fromUserId === d.userId), 15_000, 'D\'s offer')
    await A.call('clientAcceptFriendshipOffer', { params: { offerId: offer.data.offerId } })
    await firstSight
    t.pass('D\'s subscription is an offer; once accepted, D sees A (GRIDIM-XMPP-15, -18, -22)')
    await A.waitFor(is.presence(d.userId, 'online'), 15_000, 'D online once subscribed')
    await D.xmpp.send(new Element('presence', { type: 'unavailable' }))
    await A.waitFor(is.presence(d.userId, 'offline'), 15_000, 'D offline')
    A.events.length = 0

    // Step 4: D signs on; A sees D online, D sees A online; B and C learn nothing.
    const adaOnline = D.next((el) => el.name === 'presence' && el.attrs.type === undefined && el.attrs.from === `${adaJid}/grid`)
    let started = Date.now()
    await D.xmpp.send(new Element('presence'))
    await A.waitFor(is.presence(d.userId, 'online'), 15_000, 'D online')
    t.comment(`${serverName}: D's initial presence → A's presence event in ${Date.now() - started} ms`)
    await adaOnline
    t.pass('D sees A online: the probe is answered from the user server (GRIDIM-XMPP-24)')
    const state = (await admin.call(grid.userServerUrl, 'adminGetUser', { headers, params: { userId: d.userId } })).body
    t.match(state, { online: true, regionId: gateway.regionId }, 'D is online at the gateway (GRIDIM-XMPP-25)')
    await B.poll()
    await C.poll()
    t.same(B.seen(is.presenceAbout(d.userId)), [], 'B learns nothing of D')
    t.same(C.seen(is.presenceAbout(d.userId)), [], 'C learns nothing of D')

    // Step 10: A → D.
    const toD = D.next((el) => el.name === 'message' && el.getChildText('body') === 'Hello D')
    started = Date.now()
    const sent = await A.call('clientSendInstantMessage', { body: { toUserId: d.userId, body: 'Hello D' } })
    t.equal(sent.outcome, 'delivered')
    const m = await toD
    t.comment(`${serverName}: region → gateway → Jabber server → D in ${Date.now() - started} ms`)
    t.equal(m.attrs.from, `${adaJid}/grid`, 'from A\'s address (GRIDIM-ID-8)')
    t.equal(m.attrs.id, sent.messageId, 'the stanza id is the messageId (GRIDIM-XMPP-27)')

    // Step 11: D → A, the stanza id (a UUID) kept as messageId.
    const id = randomUUID()
    started = Date.now()
    await D.xmpp.send(new Element('message', { type: 'chat', to: adaJid, id }).c('body').t('Hello A').up())
    const got = await A.waitFor(is.message(d.userId, 'Hello A'), 15_000, 'D\'s message')
    t.comment(`${serverName}: D → Jabber server → gateway → region → A's log in ${Date.now() - started} ms`)
    t.match(got.data, { messageId: id, fromName: danaJid, toUserId: a.userId })

    // Step 12: B opens the group session; D is invited, joins, and receives B's message.
    const invitation = D.next((el) => el.name === 'message' && el.getChild('x', NS_CONFERENCE) !== undefined)
    const gs = await B.call('clientStartGroupSession', { body: { groupId: group.groupId } })
    t.equal(gs.members.length, 4, 'A, B, C and D')
    t.notOk('regions' in gs, 'B is not told where the others are (GRIDIM-PRES-5)')
    const room = `${gs.groupSessionId}@${GW}`
    t.equal((await invitation).getChild('x', NS_CONFERENCE)?.attrs.jid, room, 'XEP-0249 invitation to the room (GRIDIM-XMPP-35)')
    const self = D.next((el) => el.name === 'presence' && el.attrs.from === `${room}/${danaJid}`)
    const bobThere = D.next((el) => el.name === 'presence' && el.attrs.from === `${room}/Bob Test`)
    await D.xmpp.send(new Element('presence', { to: `${room}/${danaJid}` }).c('x', { xmlns: NS_MUC }).up())
    await bobThere
    const codes = (await self).getChild('x', `${NS_MUC}#user`)?.getChildren('status').map((s) => s.attrs.code)
    t.same(codes, ['110', '210'], 'own presence last, with 110 and 210 (GRIDIM-XMPP-36)')
    const groupchat = D.next((el) => el.name === 'message' && el.attrs.type === 'groupchat' && el.getChildText('body') === 'Hello group')
    const gm = await B.call('clientSendGroupMessage', { params: { groupSessionId: gs.groupSessionId }, body: { body: 'Hello group' } })
    const g = await groupchat
    t.equal(g.attrs.from, `${room}/Bob Test`)
    t.equal(g.attrs.id, gm.messageId)

    // Step 13: D speaks; A, B and C get it, and D gets its own message back.
    const echo = D.next((el) => el.name === 'message' && el.attrs.type === 'groupchat' && el.getChildText('body') === 'Hello from D')
    await D.xmpp.send(new Element('message', { type: 'groupchat', to: room, id: randomUUID() }).c('body').t('Hello from D').up())
    for (const who of [A, B, C]) await who.waitFor(is.groupMessage(gs.groupSessionId, 'Hello from D'), 15_000, 'D\'s group message')
    t.equal((await echo).attrs.from, `${room}/${danaJid}`, 'reflected to D (GRIDIM-XMPP-39)')

    // D goes offline: A sees it.
    await D.xmpp.send(new Element('presence', { type: 'unavailable' }))
    await A.waitFor(is.presence(d.userId, 'offline'), 15_000, 'D offline')

    // GRIDIM-XMPP-5: with the link down the gateway refuses, so the message is stored, not lost.
    await gateway.component!.stop()
    const whileDown = await A.call('clientSendInstantMessage', { body: { toUserId: d.userId, body: 'Are you there?' } })
    t.equal(whileDown.outcome, 'stored', 'stored at the user server while the link is down')
    const kept = (await admin.call(grid.userServerUrl, 'adminListOfflineMessages', { headers, params: { userId: d.userId } })).body.messages
    t.same(kept.map((m) => m.messageId), [whileDown.messageId])
  })
}
