// First contact through real Prosody and ejabberd (issue 12): Jabber users the gateway has never
// seen, whose clients send only what ordinary clients send — initial presence, then a subscribe
// or a message; never presence to the gateway domain. And a grid user's offer to a Jabber user
// the gateway has never heard of, while that user is online (GRIDIM-XMPP-47, -48, -50, -53).
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

/**
 * Every stanza a client receives, and a ping of the gateway through the client's server: the
 * gateway handles a user's stanzas in order, so what they set off has arrived once it answers
 * (with a result or an error).
 */
function recording (client: TestClient) {
  const seen: Element[] = []
  client.xmpp.on('stanza', (el: Element) => { seen.push(el) })
  return {
    seen,
    presences: (from: string, type?: string) => seen.filter((el) => el.name === 'presence' && el.attrs.from === from && el.attrs.type === type),
    settle: async () => { await client.xmpp.iqCaller.request(new Element('iq', { type: 'get', to: GW }).c('ping', { xmlns: 'urn:xmpp:ping' }).up(), 10_000).catch(() => undefined) }
  }
}

for (const [serverName, startServer] of Object.entries(XMPP_SERVERS)) {
  t.test(`${serverName}: first contact from and to Jabber users the gateway has never seen`, { skip, timeout: 120_000 }, async (t) => {
    const server = await startServer({ components: [{ domain: GW, secret: SECRET }], users: [{ user: 'fred', password: 'fredpw' }, { user: 'gus', password: 'guspw' }] })
    t.teardown(() => server.stop())
    const dataDir = mkdtempSync(join(tmpdir(), 'gridim-first-'))
    t.teardown(() => rmSync(dataDir, { recursive: true, force: true }))
    const grid = await startGrid({
      dataDir, regionCount: 1, logger: createLogger({ test: 'first-contact' }),
      gateway: { domain: GW, jabberServer: { host: '127.0.0.1', port: server.componentPort, secret: SECRET, serverDomain: server.domain } }
    })
    t.teardown(() => grid.stop())
    const admin = new PeerClient()
    const headers = { authorization: `Bearer ${grid.adminToken}` }
    for (const first of ['Ada', 'Bob']) await admin.call(grid.userServerUrl, 'adminCreateUser', { headers, body: { firstName: first, lastName: 'Test', password: `${first}-pw-1` } })
    const A = await ClientSession.login(grid.regionInfo[0]!.url, 'Ada', 'Test', 'Ada-pw-1')
    const B = await ClientSession.login(grid.regionInfo[0]!.url, 'Bob', 'Test', 'Bob-pw-1')
    const adaJid = `ada.test@${GW}`
    const bobJid = `bob.test@${GW}`
    const fredJid = `fred@${server.domain}`
    const gusJid = `gus@${server.domain}`
    const service = `xmpp://127.0.0.1:${server.c2sPort}`

    // Fred: roster, initial presence, then "Add a contact" — nothing to the gateway domain first.
    const F = await startTestClient({ service, domain: server.domain, username: 'fred', password: 'fredpw', resource: 'laptop' })
    t.teardown(() => F.stop())
    const fred = recording(F)
    F.xmpp.on('stanza', (el: Element) => {
      // An auto-approving client (Converse.js approves a request from a contact it asked for).
      if (el.name === 'presence' && el.attrs.type === 'subscribe') void F.xmpp.send(new Element('presence', { to: el.attrs.from, type: 'subscribed' }))
    })
    await F.xmpp.send(new Element('presence'))
    await F.xmpp.send(new Element('presence', { to: adaJid, type: 'subscribe' }).c('status').t('Hello Ada').up())
    const offer = await A.waitFor(is.type('friendshipOffer', (d) => d.fromUserId === foreignUserId(fredJid)), 15_000, 'Fred\'s offer')
    t.match(offer.data, { fromName: fredJid, message: 'Hello Ada' }, 'a never-seen Jabber user\'s subscribe is an offer (GRIDIM-XMPP-47)')
    await fred.settle()
    t.same(fred.seen.filter((el) => el.attrs.type === 'error').map(String), [], 'and no error')

    // Ada accepts: Fred's client approves the request back; Ada sees Fred online; no loop.
    const adaOnline = F.next((el) => el.name === 'presence' && el.attrs.type === undefined && el.attrs.from === `${adaJid}/grid`, 15_000)
    await A.call('clientAcceptFriendshipOffer', { params: { offerId: offer.data.offerId } })
    await A.waitFor(is.presence(foreignUserId(fredJid), 'online'), 15_000, 'Fred online once the subscription is mutual')
    await adaOnline
    await F.xmpp.send(new Element('presence', { to: adaJid, type: 'subscribe' }))
    await fred.settle()
    t.equal(fred.presences(adaJid, 'subscribe').length, 1, 'one subscribe from Ada, for the acceptance; none for a request between friends (GRIDIM-XMPP-50)')

    // Fred writes to Bob, a stranger, as sendxmpp would: Bob gets it.
    const id = randomUUID()
    await F.xmpp.send(new Element('message', { type: 'chat', to: bobJid, id }).c('body').t('One-shot hello').up())
    const got = await B.waitFor(is.message(foreignUserId(fredJid), 'One-shot hello'), 15_000, 'Fred\'s message')
    t.match(got.data, { messageId: id, fromName: fredJid }, 'a never-seen Jabber user\'s message arrives (GRIDIM-XMPP-47)')

    // Gus is online and unknown to the gateway; Bob finds him by JID and offers.
    const G = await startTestClient({ service, domain: server.domain, username: 'gus', password: 'guspw', resource: 'desk' })
    t.teardown(() => G.stop())
    await G.xmpp.send(new Element('presence'))
    const gus = await B.call('clientLookupUser', { query: { jid: gusJid } })
    t.equal(gus.userId, foreignUserId(gusJid))
    const asked = G.next((el) => el.name === 'presence' && el.attrs.type === 'subscribe' && el.attrs.from === bobJid, 15_000)
    await B.call('clientOfferFriendship', { body: { toUserId: gus.userId, message: 'Hi Gus' } })
    t.equal((await asked).getChildText('status'), 'Hi Gus', 'the offer reaches a never-seen Jabber user as subscribe (GRIDIM-XMPP-48)')
    const bobOnline = G.next((el) => el.name === 'presence' && el.attrs.type === undefined && el.attrs.from === `${bobJid}/grid`, 15_000)
    await G.xmpp.send(new Element('presence', { to: bobJid, type: 'subscribed' }))
    await B.waitFor((ev) => ev.type === 'friendshipAccepted' && ev.data.friendId === gus.userId, 15_000, 'Gus accepts')
    await bobOnline
    t.pass('Gus sees Bob online once he approved (GRIDIM-XMPP-53)')
  })
}
