// XMPP → grid, the sending half: a gateway-hosted user's message, chat state or group message
// goes by the procedures of chapters 7 and 9 with the gateway acting as the sender's region
// (GRIDIM-XMPP-29, -32, -38). Deliveries to users the gateway itself hosts stay here
// (chapter 11: "it may skip the HTTP request to itself but behaves as if it had made it").
import { GridImError } from '../lib/errors/index.ts'
import { sendInstantMessage, type DeliveryDeps, type Outcome } from '../region/delivery.ts'
import { LinkBatcher } from '../region/link-batcher.ts'
import { grantsSeeOnline, type FriendView } from '../region/friends.ts'
import { checkBodyLength } from '../region/limits.ts'
import { RecentIds } from '../region/recent-ids.ts'
import type { ChatState, InstantMessage } from '../lib/contract/types.ts'
import { isForeignName } from './addresses.ts'
import type { GatewayContext } from './context.ts'
import type { HostedUser } from './hosted-users.ts'
import { eventToStanzas } from './to-xmpp.ts'

const NO_FRIENDS: FriendView = { friends: [], seesOnline: new Map() }

export class GridSender {
  readonly #gw: GatewayContext
  readonly #deps: DeliveryDeps
  /** GRIDIM-IM-6: one message at a time per sender and recipient. */
  readonly #queues = new Map<string, Promise<unknown>>()
  /** Messages handed straight to foreign users who are not signed on, for de-duplication. */
  readonly #direct: RecentIds

  constructor (gw: GatewayContext) {
    this.#gw = gw
    const { region } = gw
    this.#direct = new RecentIds({ now: region.now })
    this.#deps = {
      regionId: region.regionId,
      peer: region.peer,
      // GRIDIM-IM-32: the gateway batches its links to regions as a region does.
      link: new LinkBatcher({ peer: region.peer, timeoutMs: region.delivery.timeoutMs, faults: region.faults }),
      userServer: region.userServer,
      cache: region.cache,
      deliverLocally: (im) => this.deliverHere(im),
      ...region.delivery,
      faults: region.faults
    }
  }

  /**
   * An instant message for a user hosted here: into the session's log when signed on, else,
   * for a foreign user whose JID is known, straight to the Jabber server (GRIDIM-LOC-4: foreign
   * users are reachable at the gateway while offline; their own server stores for them).
   * Null when the recipient is not here.
   */
  deliverHere (im: InstantMessage): 'delivered' | 'duplicate' | null {
    const { region, users } = this.#gw
    if (region.agents.logFor(im.toUserId) !== undefined) return region.inbox.instantMessage(im)
    const name = users.nameOf(im.toUserId)
    if (name === undefined || !isForeignName(name)) return null
    if (!this.#gw.linkUp()) throw new GridImError('unavailable', 'the link to the Jabber server is down') // GRIDIM-XMPP-5
    // GRIDIM-IM-14; the fault gateway-direct-delivery-not-deduplicated sends a repeated messageId again.
    if (!region.faults.has('gateway-direct-delivery-not-deduplicated') && (!this.#direct.add(im.messageId) || region.inbox.seen(im.messageId))) return 'duplicate'
    const user = users.ensure({ userId: im.toUserId, name, jid: name, kind: 'foreign' })
    eventToStanzas(this.#gw.out, user, { type: 'instantMessage', data: im })
    // GRIDIM-IM-22: written to the component link, so delivered; remembered across restarts.
    region.messages.handedOn(im)
    return 'delivered'
  }

  /** GRIDIM-XMPP-29: chapter 7's procedure, acting as the sender's region. */
  async instantMessage (from: HostedUser, toUserId: string, body: string, messageId: string): Promise<Outcome> {
    checkBodyLength(body)
    if (toUserId === from.userId) throw new GridImError('invalid-request', 'A message to oneself is not sent.') // GRIDIM-IM-2
    const im: InstantMessage = { messageId, fromUserId: from.userId, fromName: from.name, toUserId, body, sentAt: new Date(this.#gw.region.now()).toISOString() }
    const view = from.agent ?? NO_FRIENDS
    return await this.#inOrder(`${from.userId} ${toUserId}`, async () => {
      const { outcome, result, learned } = await sendInstantMessage(im, grantsSeeOnline(view, toUserId), this.#deps)
      if (learned !== undefined && from.agent !== undefined) from.agent.seesOnline.set(toUserId, learned)
      if (result === 'stored') this.#gw.region.metrics.stored++
      return outcome
    })
  }

  /** GRIDIM-XMPP-32, GRIDIM-IM-18: best effort, never stored, failures only logged. */
  async chatState (from: HostedUser, toUserId: string, state: ChatState['state']): Promise<void> {
    const { region } = this.#gw
    const chatState: ChatState = { fromUserId: from.userId, fromName: from.name, toUserId, state }
    if (region.inbox.chatState(chatState)) return
    try {
      let location = region.cache.get(toUserId)
      if (location === undefined) {
        const found = await region.userServer('locateUser', { params: { userId: toUserId }, query: { for: from.userId } })
        if (found.regionId === undefined || found.regionUrl === undefined || found.regionId === region.regionId) return
        location = { regionId: found.regionId, url: found.regionUrl }
        region.cache.set(toUserId, location)
      }
      await region.peer.call(location.url, 'deliverChatState', { body: chatState, timeoutMs: region.delivery.timeoutMs })
    } catch (err) {
      if (err instanceof GridImError && err.code === 'agent-not-here') region.cache.evict(toUserId)
      this.#gw.logger.debug('chat state not delivered', { toUserId, error: (err as Error).message })
    }
  }

  /** GRIDIM-XMPP-38: the user server forwards once per destination region (seed step 13). */
  async groupMessage (from: HostedUser, groupSessionId: string, body: string, messageId: string): Promise<void> {
    checkBodyLength(body)
    await this.#gw.region.userServer('sendGroupMessage', { params: { groupSessionId }, body: { fromUserId: from.userId, messageId, body } })
  }

  async #inOrder<T> (key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#queues.get(key) ?? Promise.resolve()
    const next = previous.catch(() => {}).then(task)
    this.#queues.set(key, next)
    try {
      return await next
    } finally {
      if (this.#queues.get(key) === next) this.#queues.delete(key)
    }
  }
}
