// Interop with real outside clients (issue 12): slixmpp (Debian python3-slixmpp, an ordinary
// client with its own roster handling and plugins) as a user of a real Prosody and a real
// ejabberd, the gateway linked as a component; and sendxmpp as a one-shot sender to a grid user
// who never heard of it. Each run writes reference/gateway/interop/<client>-<server>.json and
// fails if that differs from the committed file (the README's interop table is rendered from it).
import t, { type Test } from 'tap'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { XMPP_SERVERS, skipXmppServers, type RunningXmppServer } from '../../tools/xmpp-servers/index.ts'
import { SlixmppClient, type SlixEvent } from '../../tools/interop/slixmpp/driver.ts'
import { InteropRecorder, type Feature } from '../../tools/interop/results.ts'
import { debianVersion, viaServer } from '../../tools/interop/versions.ts'
import { sendxmpp } from '../../tools/interop/sendxmpp.ts'
import { ClientSession, is } from '../../conformance/lib/client-session.ts'
import { createLogger, PeerClient } from '../lib/http/index.ts'
import { foreignUserId } from '../lib/identifiers/index.ts'
import { startGrid } from '../grid/start-grid.ts'

const skip = skipXmppServers()
const GW = 'grid.localhost'
const SECRET = 'gateway-secret'
const WAIT = 15_000
/** sendxmpp picks DIGEST-MD5 where offered, and ejabberd 23.01 refuses its authzid (a bare JID). */
const DISABLED_SASL: Record<RunningXmppServer['name'], string[] | undefined> = { prosody: undefined, ejabberd: ['digest-md5'] }

const SLIXMPP_FEATURES: Feature[] = [
  'login', 'first contact', 'add contact', 'accept offer', 'roster', 'presence', 'chat from grid',
  'chat to grid', 'chat states', 'group room', 'room messages', 'leave room', 'end friendship'
]

/** Writes the fresh results and fails if they differ from the committed file. */
function compareWithCommitted (t: Test, recorder: InteropRecorder): void {
  const { committed, fresh } = recorder.write()
  t.equal(fresh, committed ?? '(no committed file)', `reference/gateway/interop/${recorder.file} matches what this run found (commit it if the change is right, then run \`npm run generate\`)`)
}

for (const [serverName, startServer] of Object.entries(XMPP_SERVERS) as Array<[RunningXmppServer['name'], typeof XMPP_SERVERS['prosody']]>) {
  t.test(`${serverName}: slixmpp and sendxmpp users meet the grid through the gateway`, { skip, timeout: 180_000 }, async (t) => {
    const server = await startServer({ components: [{ domain: GW, secret: SECRET }], users: [{ user: 'sam', password: 'sampw' }, { user: 'olly', password: 'ollypw' }], disabledSaslMechanisms: DISABLED_SASL[serverName] })
    t.teardown(() => server.stop())
    const dataDir = mkdtempSync(join(tmpdir(), 'gridim-slix-'))
    t.teardown(() => rmSync(dataDir, { recursive: true, force: true }))
    const grid = await startGrid({
      dataDir, regionCount: 2, logger: createLogger({ test: `slixmpp-${serverName}` }),
      gateway: { domain: GW, jabberServer: { host: '127.0.0.1', port: server.componentPort, secret: SECRET, serverDomain: server.domain } }
    })
    t.teardown(() => grid.stop())
    const admin = new PeerClient()
    const headers = { authorization: `Bearer ${grid.adminToken}` }
    const created: Record<string, string> = {}
    for (const first of ['Ada', 'Bob']) created[first] = (await admin.call(grid.userServerUrl, 'adminCreateUser', { headers, body: { firstName: first, lastName: 'Test', password: `${first}-pw-1` } })).body.userId
    const A = await ClientSession.login(grid.regionInfo[0]!.url, 'Ada', 'Test', 'Ada-pw-1')
    const B = await ClientSession.login(grid.regionInfo[1]!.url, 'Bob', 'Test', 'Bob-pw-1')
    const adaJid = `ada.test@${GW}`
    const bobJid = `bob.test@${GW}`
    const samJid = `sam@${server.domain}`
    const samId = foreignUserId(samJid)
    // ejabberd without DIGEST-MD5 (RFC 6331 made it Historic): see disabledSaslMechanisms.
    const via = viaServer(serverName, serverName === 'ejabberd' ? 'DIGEST-MD5 off' : undefined)

    const slix = new InteropRecorder(`slixmpp-${serverName}.json`, { client: `slixmpp ${debianVersion('python3-slixmpp', 3)}`, via, transport: 'c2s' }, SLIXMPP_FEATURES)
    const one = new InteropRecorder(`sendxmpp-${serverName}.json`, { client: `sendxmpp ${debianVersion('sendxmpp', 2)}`, via, transport: 'c2s' }, ['one-shot message'])
    let S: SlixmppClient | undefined
    t.teardown(async () => { await S?.stop() })
    const from = (jid: string) => (e: SlixEvent) => e.from === jid
    try {
      S = await slix.step('login', async () => await SlixmppClient.connect({ jid: `${samJid}/laptop`, password: 'sampw', host: '127.0.0.1', port: server.c2sPort }))
      const sam = S

      // "Add a contact" in slixmpp: roster item plus subscribe, nothing to the gateway domain
      // first; the gateway has never seen Sam (GRIDIM-XMPP-47).
      const offer = await slix.step('first contact', async () => {
        await sam.do({ cmd: 'subscribe', to: adaJid, name: 'Ada', status: 'Hello Ada' })
        const ev = await A.waitFor(is.type('friendshipOffer', (d) => d.fromUserId === samId), WAIT, 'Sam\'s offer')
        t.match(ev.data, { fromName: samJid, message: 'Hello Ada' }, 'a never-seen slixmpp user\'s subscribe is an offer (GRIDIM-XMPP-47)')
        return ev
      })
      // Ada accepts on the grid: Sam is told "subscribed", and asked back (GRIDIM-XMPP-18); Sam approves.
      await slix.step('add contact', async () => {
        const subscribed = sam.next((e) => e.event === 'subscription' && e.type === 'subscribed' && from(adaJid)(e), WAIT, 'subscribed')
        const askedBack = sam.next((e) => e.event === 'subscription' && e.type === 'subscribe' && from(adaJid)(e), WAIT, 'subscribe back')
        await A.call('clientAcceptFriendshipOffer', { params: { offerId: offer.data.offerId } })
        await subscribed
        await askedBack
        await sam.do({ cmd: 'approve', to: adaJid })
        t.pass('the acceptance reaches slixmpp as subscribed, and Ada asks back (GRIDIM-XMPP-15, -18)')
      })
      await slix.step('presence', async () => {
        await A.waitFor(is.presence(samId, 'online'), WAIT, 'Sam online once the subscription is mutual')
        const adaOnline = sam.seen((e) => e.event === 'presence' && e.from === `${adaJid}/grid` && e.type === 'available')
        if (adaOnline.length === 0) await sam.next((e) => e.event === 'presence' && e.from === `${adaJid}/grid` && e.type === 'available', WAIT, 'Ada online')
        t.pass('Ada sees Sam online, Sam sees Ada online (GRIDIM-XMPP-22, -24)')
      })
      await slix.step('roster', async () => {
        const both = (e: SlixEvent) => e.event === 'roster' && e.items.some((i: { jid: string, subscription: string }) => i.jid === adaJid && i.subscription === 'both')
        if (sam.seen(both).length === 0) await sam.next(both, WAIT, 'Ada in Sam\'s roster with subscription both')
        t.pass('roster pushes from Sam\'s server: Ada, subscription both (RFC 6121 §2.1.6)')
      })
      await slix.step('chat from grid', async () => {
        const got = sam.next((e) => e.event === 'message' && from(adaJid)(e) && e.body === 'Hello Sam', WAIT, 'Ada\'s message')
        const sent = await A.call('clientSendInstantMessage', { body: { toUserId: samId, body: 'Hello Sam' } })
        t.equal(sent.outcome, 'delivered')
        t.equal((await got).id, sent.messageId, 'the stanza id is the messageId (GRIDIM-XMPP-27)')
      })
      await slix.step('chat to grid', async () => {
        await sam.do({ cmd: 'message', to: adaJid, body: 'Hello Ada, from slixmpp' })
        const got = await A.waitFor(is.message(samId, 'Hello Ada, from slixmpp'), WAIT, 'Sam\'s message')
        t.match(got.data, { fromName: samJid, toUserId: created.Ada }, 'Sam\'s message reaches Ada (GRIDIM-XMPP-28)')
      })
      await slix.step('chat states', async () => {
        await sam.do({ cmd: 'chatstate', to: adaJid, state: 'composing' })
        await A.waitFor((e) => e.type === 'chatState' && e.data.fromUserId === samId && e.data.state === 'composing', WAIT, 'Sam typing')
        const paused = sam.next((e) => e.event === 'chatstate' && from(adaJid)(e) && e.state === 'paused', WAIT, 'Ada paused')
        await A.call('clientSendChatState', { body: { toUserId: samId, state: 'paused' } })
        await paused
        t.pass('chat states both ways (GRIDIM-XMPP-32, -33)')
      })

      // Bob, a grid user, offers Sam (known to the gateway now); Sam accepts in slixmpp.
      await slix.step('accept offer', async () => {
        const asked = sam.next((e) => e.event === 'subscription' && e.type === 'subscribe' && from(bobJid)(e), WAIT, 'Bob\'s offer')
        await B.call('clientOfferFriendship', { body: { toUserId: samId, message: 'Hi Sam' } })
        t.equal((await asked).status, 'Hi Sam', 'the offer reaches slixmpp as subscribe with its message (GRIDIM-XMPP-48)')
        const bobOnline = sam.next((e) => e.event === 'presence' && e.from === `${bobJid}/grid` && e.type === 'available', WAIT, 'Bob online')
        await sam.do({ cmd: 'approve', to: bobJid })
        await B.waitFor((e) => e.type === 'friendshipAccepted' && e.data.friendId === samId, WAIT, 'Sam accepts')
        await bobOnline
        t.pass('Bob learns of the acceptance; Sam sees Bob online (GRIDIM-XMPP-53)')
      })

      // A group session: Sam is invited, joins the room, messages both ways, leaves.
      const group = (await admin.call(grid.userServerUrl, 'adminCreateGroup', { headers, body: { name: 'Tea', memberIds: [created.Ada, created.Bob, samId] } })).body
      const { room, nick } = await slix.step('group room', async () => {
        const invited = sam.next((e) => e.event === 'invitation', WAIT, 'invitation')
        const gs = await B.call('clientStartGroupSession', { body: { groupId: group.groupId } })
        const room = `${gs.groupSessionId}@${GW}`
        const inv = await invited
        t.match(inv, { kind: 'XEP-0249', room }, 'a direct invitation to the room (GRIDIM-XMPP-35)')
        const self = sam.next((e) => e.event === 'room_presence' && e.room === room && e.codes.includes(110), WAIT, 'self-presence')
        await sam.do({ cmd: 'join', room, nick: 'Sam' })
        const me = await self
        t.ok(me.codes.includes(110), 'self-presence with 110 (GRIDIM-XMPP-36)')
        t.ok(sam.seen((e) => e.event === 'room_presence' && e.room === room && e.nick === 'Bob Test').length > 0, 'Bob\'s occupant presence came before Sam\'s own (XEP-0045 §7.2.3)')
        return { room, nick: me.nick as string, groupSessionId: gs.groupSessionId }
      })
      const groupSessionId = room.split('@')[0]!
      await slix.step('room messages', async () => {
        const fromBob = sam.next((e) => e.event === 'room_message' && e.room === room && e.body === 'Hello room', WAIT, 'Bob\'s group message')
        await B.call('clientSendGroupMessage', { params: { groupSessionId }, body: { body: 'Hello room' } })
        t.equal((await fromBob).nick, 'Bob Test')
        const echo = sam.next((e) => e.event === 'room_message' && e.room === room && e.body === 'Hello from slixmpp', WAIT, 'reflection')
        await sam.do({ cmd: 'groupchat', room, body: 'Hello from slixmpp' })
        for (const who of [A, B]) await who.waitFor(is.groupMessage(groupSessionId, 'Hello from slixmpp'), WAIT, 'Sam\'s group message')
        t.equal((await echo).nick, nick, 'reflected to Sam under the room nick (GRIDIM-XMPP-39)')
      })
      await slix.step('leave room', async () => {
        const left = sam.next((e) => e.event === 'room_presence' && e.room === room && e.type === 'unavailable' && e.nick === nick, WAIT, 'own unavailable')
        // slixmpp leaves with the nick it joined with; the room may have given it another (210).
        await sam.do({ cmd: 'leave', room, nick: 'Sam' })
        await left
        await A.waitFor((e) => e.type === 'groupSessionMemberLeft' && e.data.userId === samId, WAIT, 'Sam left')
        t.pass('leaving the room leaves the group session (GRIDIM-XMPP-40)')
      })
      await slix.step('end friendship', async () => {
        await sam.do({ cmd: 'unsubscribe', to: adaJid })
        await A.waitFor((e) => e.type === 'friendshipEnded' && e.data.friendId === samId, WAIT, 'the end of the friendship')
        t.pass('"Remove contact" in slixmpp ends the friendship (GRIDIM-XMPP-19)')
      })

      await slix.step('presence', async () => {
        await sam.do({ cmd: 'offline' })
        await B.waitFor(is.presence(samId, 'offline'), WAIT, 'Sam offline')
        t.pass('Sam signs off: his friend Bob sees him offline (GRIDIM-XMPP-25)')
      })

      // The drivers' own failures are clear errors, not hangs.
      await t.rejects(SlixmppClient.connect({ jid: `${samJid}/other`, password: 'wrong', host: '127.0.0.1', port: server.c2sPort }), /slixmpp login failed/, 'a refused login is an error')
      await t.rejects(sam.do({ cmd: 'fly' }), /unknown command fly/, 'an unknown command is an error')
      await t.rejects(sendxmpp({ user: 'olly', password: 'wrong', host: '127.0.0.1', port: server.c2sPort, domain: server.domain, to: bobJid, body: 'x' }), /sendxmpp exited with 1/, 'sendxmpp refused: an error')

      // sendxmpp: Olly, never seen by the gateway or by Bob, sends one message and exits.
      await one.step('one-shot message', async () => {
        const ollyId = foreignUserId(`olly@${server.domain}`)
        await sendxmpp({ user: 'olly', password: 'ollypw', host: '127.0.0.1', port: server.c2sPort, domain: server.domain, to: bobJid, body: 'One-shot hello' })
        const got = await B.waitFor(is.message(ollyId), WAIT, 'Olly\'s message')
        t.equal(got.data.body.trim(), 'One-shot hello')
        t.match(got.data, { fromName: `olly@${server.domain}` }, 'a one-shot message from a stranger arrives (GRIDIM-XMPP-47)')
      })
    } finally {
      compareWithCommitted(t, slix)
      compareWithCommitted(t, one)
    }
  })
}
