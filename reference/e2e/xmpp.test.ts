// The XMPP half of the seed with every role its own process: user server, regions and
// `gridim gateway`, linked as a component to a real Prosody; D is a Prosody user and E a grid
// user on an IM-only app over WebSocket. Real signed HTTP between the processes.
import t from 'tap'
import { Element } from 'ltx'
import { randomUUID } from 'node:crypto'
import { WebSocket } from 'ws'
import { skipXmppServers, startProsody, startTestClient } from '../../tools/xmpp-servers/index.ts'
import { is } from '../../conformance/lib/client-session.ts'
import { foreignUserId } from '../lib/identifiers/index.ts'
import { startProcessGrid } from './process-grid.ts'

;(globalThis as Record<string, unknown>).WebSocket ??= WebSocket
const GW = 'gw.e2e.localhost'
const SECRET = 'e2e-secret'

t.test('seed steps 10 and 11, and an IM-only user, across separate processes', { skip: skipXmppServers(), timeout: 120_000 }, async (t) => {
  const prosody = await startProsody({ components: [{ domain: GW, secret: SECRET }], users: [{ user: 'dana', password: 'danapw' }] })
  t.teardown(() => prosody.stop())
  const grid = await startProcessGrid({ regions: 1, gateway: { domain: GW, jabber: { port: prosody.componentPort, secret: SECRET, domain: prosody.domain } } })
  t.teardown(() => grid.stop())
  const gatewayUrl: string = grid.gateway!.ready.url

  const a = await grid.createUser('Ada')
  const e = await grid.createUser('Eve')
  const danaJid = `dana@${prosody.domain}`
  const d = await grid.admin('adminCreateUser', { body: { jid: danaJid } })
  t.equal(d.userId, foreignUserId(danaJid))
  await grid.admin('adminCreateFriendship', { body: { userIds: [a.userId, e.userId], rights: { ab: 1, ba: 1 } } })
  const A = await grid.login(a, 0)
  const adaJid = `${a.firstName.toLowerCase()}.${a.lastName.toLowerCase()}@${GW}`

  const D = await startTestClient({ service: `xmpp://127.0.0.1:${prosody.c2sPort}`, domain: prosody.domain, username: 'dana', password: 'danapw', resource: 'phone' })
  t.teardown(() => D.stop())
  D.xmpp.on('stanza', (el: Element) => {
    if (el.name === 'presence' && el.attrs.type === 'subscribe') void D.xmpp.send(new Element('presence', { to: el.attrs.from, type: 'subscribed' }))
  })
  await D.xmpp.send(new Element('presence'))
  const seesAda = D.next((el) => el.name === 'presence' && el.attrs.type === undefined && el.attrs.from === `${adaJid}/grid`)
  // D and A become friends as a Jabber user does: D asks (first contact, GRIDIM-XMPP-47), A
  // accepts, the gateway approves and asks back (GRIDIM-XMPP-18), D's client approves.
  await D.xmpp.send(new Element('presence', { to: adaJid, type: 'subscribe' }))
  const offer = await A.waitFor(is.type('friendshipOffer', (o) => o.fromUserId === d.userId), 15_000, 'D\'s offer')
  await A.call('clientAcceptFriendshipOffer', { params: { offerId: offer.data.offerId } })
  await seesAda
  await A.waitFor(is.presence(d.userId, 'online'), 15_000, 'D online')

  // Step 10: A → D through the gateway process.
  const toD = D.next((el) => el.name === 'message' && el.getChildText('body') === 'Hello D')
  const sent = await A.call('clientSendInstantMessage', { body: { toUserId: d.userId, body: 'Hello D' } })
  t.equal(sent.outcome, 'delivered')
  t.equal((await toD).attrs.id, sent.messageId)

  // Step 11: D → A.
  const id = randomUUID()
  await D.xmpp.send(new Element('message', { type: 'chat', to: adaJid, id }).c('body').t('Hello A').up())
  t.match((await A.waitFor(is.message(d.userId, 'Hello A'), 15_000, 'D\'s message')).data, { messageId: id, fromName: danaJid })

  // E, an IM-only grid user, over WebSocket at the gateway process; E and D talk through it.
  const E = await startTestClient({ service: `${gatewayUrl.replace(/^http/, 'ws')}/xmpp-websocket`, domain: GW, username: `${e.firstName}.${e.lastName}`.toLowerCase(), password: e.password, resource: 'app' })
  t.teardown(() => E.stop())
  await E.xmpp.send(new Element('presence'))
  await A.waitFor(is.presence(e.userId, 'online'), 15_000, 'E online')
  const toE = E.next((el) => el.name === 'message' && el.getChildText('body') === 'Hi E')
  await A.call('clientSendInstantMessage', { body: { toUserId: e.userId, body: 'Hi E' } })
  await toE
  await E.xmpp.send(new Element('message', { type: 'chat', to: adaJid, id: randomUUID() }).c('body').t('Hi A').up())
  await A.waitFor(is.message(e.userId, 'Hi A'), 15_000, 'E\'s message')
  await E.stop()
  await A.waitFor(is.presence(e.userId, 'offline'), 15_000, 'E offline when the stream ends')
})
