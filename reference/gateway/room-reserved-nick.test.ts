// XEP-0045 §7.12 for the gateway's rooms: an app such as Converse.js asks a room for the user's
// reserved nick (disco#info, node `x-roomuser-item`) before it joins; the answer names the nick
// the room will assign, the user's grid name, with the node echoed (GRIDIM-XMPP-61). The flows'
// XMPP users cannot send a disco#info iq, so this test also proves the deliberate fault
// `gateway-ignores-disco-node` breaks it (conformance/variants/catalogue.ts, provedElsewhere).
import t, { type Test } from 'tap'
import { Element } from 'ltx'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { WebSocket } from 'ws'
import { startTestClient } from '../../tools/xmpp-servers/index.ts'
import { ClientSession, is } from '../../conformance/lib/client-session.ts'
import { createLogger, PeerClient } from '../lib/http/index.ts'
import type { Fault } from '../lib/faults.ts'
import { startGrid } from '../grid/start-grid.ts'

;(globalThis as Record<string, unknown>).WebSocket ??= WebSocket
const GW = 'grid.localhost'
const NS_DISCO_INFO = 'http://jabber.org/protocol/disco#info'

/** A grid with Ada on a region and Eve on an IM-only app, both in group Tea, a session of it open. */
async function roomWithEve (t: Test, faults: ReadonlySet<Fault> = new Set()) {
  const dataDir = mkdtempSync(join(tmpdir(), 'gridim-roomnick-'))
  const grid = await startGrid({ dataDir, regionCount: 1, logger: createLogger({ test: 'room-reserved-nick' }), gateway: { domain: GW }, faults })
  t.teardown(async () => { await grid.stop(); rmSync(dataDir, { recursive: true, force: true }) })
  const admin = new PeerClient()
  const headers = { authorization: `Bearer ${grid.adminToken}` }
  const user = async (firstName: string) => (await admin.call(grid.userServerUrl, 'adminCreateUser', { headers, body: { firstName, lastName: 'Test', password: `${firstName}-password` } })).body.userId
  const a = await user('Ada')
  const e = await user('Eve')
  await admin.call(grid.userServerUrl, 'adminCreateFriendship', { headers, body: { userIds: [a, e], rights: { ab: 1, ba: 1 } } })
  const group = (await admin.call(grid.userServerUrl, 'adminCreateGroup', { headers, body: { name: 'Tea', memberIds: [a, e] } })).body
  const A = await ClientSession.login(grid.regionInfo[0]!.url, 'Ada', 'Test', 'Ada-password')
  const E = await startTestClient({ service: `ws://127.0.0.1:${new URL(grid.gateway!.url).port}/xmpp-websocket`, domain: GW, username: 'eve.test', password: 'Eve-password', resource: 'app' })
  t.teardown(() => E.stop())
  await E.xmpp.send(new Element('presence'))
  await A.waitFor(is.presence(e, 'online'), 10_000, 'E online')
  const gs = await A.call('clientStartGroupSession', { body: { groupId: group.groupId } })
  const room = `${gs.groupSessionId}@${GW}`
  const ask = async (node: string): Promise<Element> => {
    const query = new Element('iq', { type: 'get', to: room, id: `disco-${node}` }).c('query', { xmlns: NS_DISCO_INFO, node }).up()
    return (await E.xmpp.iqCaller.request(query, 10_000)).getChild('query', NS_DISCO_INFO)!
  }
  return { ask }
}

t.test('a room answers x-roomuser-item with the grid name as reserved nick and the node echoed (GRIDIM-XMPP-61)', async (t) => {
  const { ask } = await roomWithEve(t)
  const answer = await ask('x-roomuser-item')
  t.equal(answer.attrs.node, 'x-roomuser-item', 'the node is echoed (XEP-0030 §3.1)')
  t.same(answer.getChildren('identity').map((i: Element) => i.attrs), [{ category: 'conference', type: 'text', name: 'Eve Test' }], 'the nick the room assigns (XEP-0045 §7.12)')
  t.same(answer.getChildren('feature'), [], "not the room's own info")
})

t.test('the deliberate fault gateway-ignores-disco-node answers with the room info and no node (for conformance/variants only)', async (t) => {
  const { ask } = await roomWithEve(t, new Set(['gateway-ignores-disco-node']))
  const answer = await ask('x-roomuser-item')
  t.equal(answer.attrs.node, undefined, 'no node: GRIDIM-XMPP-61 broken')
  t.match(answer.getChild('identity')?.attrs, { category: 'conference', type: 'text', name: 'Tea' }, "the room's own identity")
})
