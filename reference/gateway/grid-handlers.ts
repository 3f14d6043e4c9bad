// The region interface at the gateway (GRIDIM-ROLE-4): a region's own handlers, with what
// chapter 11 adds for the users the gateway hosts — foreign users reachable while not signed
// on (GRIDIM-LOC-4), the link's state (GRIDIM-XMPP-5), and room occupancy (GRIDIM-XMPP-39).
import { GridImError } from '../lib/errors/index.ts'
import { checkBodyLength } from '../region/limits.ts'
import { USER_SERVER_KEY_ID } from '../region/peer-keys.ts'
import { noticeEvent } from '../region/event-content.ts'
import { batchOf, groupBatchOf } from '../region/batch-receive.ts'
import type { RegionHandler, RegionHandlers } from '../region/region-api.ts'
import { checkSender } from '../region/sender.ts'
import { isForeignName } from './addresses.ts'
import type { GatewayContext } from './context.ts'
import type { GridSender } from './outbound-grid.ts'
import { eventToStanzas } from './to-xmpp.ts'

export function gatewayHandlers (gw: GatewayContext, base: RegionHandlers, sender: GridSender): RegionHandlers {
  const { region, users } = gw
  /**
   * A foreign user the gateway can reach without a session: its JID. GRIDIM-XMPP-48: one the
   * gateway has never seen is looked up by id (GRIDIM-XMPP-49), since a user id cannot be turned
   * back into a JID; the answer is remembered, so each user is looked up once.
   */
  const foreignName = async (userId: string): Promise<string | undefined> => {
    let name = users.nameOf(userId)
    if (name === undefined && region.agents.logFor(userId) === undefined && !region.faults.has('gateway-needs-directed-presence')) {
      try {
        name = (await region.userServer('lookupUser', { query: { userId } })).name
        users.learn(userId, name)
      } catch (err) {
        if (!(err instanceof GridImError && err.code === 'unknown-user')) throw err
      }
    }
    return name !== undefined && isForeignName(name) ? name : undefined
  }

  const deliverInstantMessage: RegionHandler<'deliverInstantMessage'> = async (input) => {
    const im = input.body
    const name = await foreignName(im.toUserId)
    if (name !== undefined && !gw.linkUp()) throw new GridImError('unavailable', 'The link to the Jabber server is down; store the message.') // GRIDIM-XMPP-5
    if (name === undefined || region.agents.logFor(im.toUserId) !== undefined) return await base.deliverInstantMessage(input)
    checkBodyLength(im.body)
    // GRIDIM-IM-10; the fault gateway-direct-path-no-sender-check skips it.
    if (!region.faults.has('gateway-direct-path-no-sender-check')) await checkSender(region, input.principal.keyId, im.fromUserId, im.toUserId)
    return { body: { status: sender.deliverHere(im) ?? 'delivered' } }
  }

  // GRIDIM-XMPP-39: only occupants get the message; a member hosted here who has not joined
  // the room is neither delivered to nor "not here".
  const deliverGroupMessage: RegionHandler<'deliverGroupMessage'> = (input) => {
    if (input.principal.keyId !== USER_SERVER_KEY_ID) return base.deliverGroupMessage(input)
    const delivery = input.body
    checkBodyLength(delivery.body)
    const delivered: string[] = []
    const notHere: string[] = []
    for (const userId of delivery.toUserIds) {
      const user = users.get(userId)
      if (user?.agent === undefined || region.agents.byUserId(userId) !== user.agent) {
        notHere.push(userId)
        continue
      }
      if (!user.rooms.has(delivery.groupSessionId)) continue
      if (region.inbox.groupMessage(delivery, userId) !== null) delivered.push(userId)
    }
    return { body: { delivered, notHere } }
  }

  return {
    ...base,

    deliverInstantMessage,
    // GRIDIM-IM-26: a batch goes through the gateway's own single delivery, message by message.
    deliverInstantMessages: batchOf(deliverInstantMessage, region.faults),

    // Notices for foreign users who are not signed on go straight to their Jabber server.
    deliverNotices: async (input) => {
      if (input.principal.keyId !== USER_SERVER_KEY_ID) return await base.deliverNotices(input)
      const notices = input.body.notices
      const names = new Map<string, string>()
      for (const n of notices) {
        if (region.agents.logFor(n.toUserId) !== undefined || names.has(n.toUserId)) continue
        const name = await foreignName(n.toUserId)
        if (name !== undefined) names.set(n.toUserId, name)
      }
      const direct = notices.filter((n) => region.agents.logFor(n.toUserId) === undefined && names.has(n.toUserId))
      if (direct.length === 0) return await base.deliverNotices(input)
      const rest = notices.filter((n) => !direct.includes(n))
      // From the user server (checked above): the region's own deliverNotices would hand them to the inbox.
      const result = region.inbox.notices(rest)
      for (const notice of direct) {
        const name = names.get(notice.toUserId)!
        const user = users.ensure({ userId: notice.toUserId, name, jid: name, kind: 'foreign' })
        eventToStanzas(gw.out, user, noticeEvent(notice))
      }
      return { body: { accepted: result.accepted + direct.length, notHere: result.notHere } }
    },

    deliverGroupMessage,
    // GRIDIM-GRP-26: a batch goes through the gateway's own group delivery, one by one.
    deliverGroupMessages: groupBatchOf(deliverGroupMessage, (principal) => {
      if (principal.keyId !== USER_SERVER_KEY_ID) throw new GridImError('forbidden', 'Only the user server may send group messages.')
    })
  }
}
