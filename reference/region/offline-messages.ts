// Spec chapter 8: messages stored while the user was offline arrive with signOn (and then
// listOfflineMessages, a page at a time). They go into the agent's event log like live ones,
// and are acknowledged to the user server — which deletes them — only once the client has read
// past them (GRIDIM-OFFL-8). Until then a crash of this region loses nothing: the user server
// delivers them again at the next sign-on.
import type { Logger } from '../lib/http/index.ts'
import type { Agent } from './agents.ts'
import type { Inbox } from './inbox.ts'
import type { InstantMessage } from '../lib/contract/types.ts'
import type { UserServer } from './upstream.ts'

/** acknowledgeOfflineMessages takes at most this many ids (OfflineAcknowledgement.maxItems). */
const ACK_BATCH = 100
/** Pages fetched per read, so a huge backlog cannot keep one request busy for ever. */
const PAGES_PER_READ = 10

export class OfflineMessages {
  readonly #inbox: Inbox
  readonly #userServer: UserServer
  readonly #logger: Logger
  readonly #chains = new WeakMap<Agent, Promise<void>>()

  constructor (inbox: Inbox, userServer: UserServer, logger: Logger) {
    this.#inbox = inbox
    this.#userServer = userServer
    this.#logger = logger
  }

  /** Puts stored messages into the agent's log; `more` says the user server holds further ones. */
  take (agent: Agent, messages: readonly InstantMessage[], more: boolean): void {
    for (const message of messages) {
      // A message also delivered live is not shown twice, but is still acknowledged.
      this.#inbox.instantMessage(message, 'offline')
      agent.unacknowledged.push({ cursor: agent.log.head, messageId: message.messageId })
    }
    agent.moreOffline = more
  }

  /** Fetches the oldest page of stored messages; false when the user server could not be asked. */
  async fetch (agent: Agent): Promise<boolean> {
    try {
      const { messages, more } = await this.#userServer('listOfflineMessages', { params: { userId: agent.userId } })
      this.take(agent, messages, more)
      return true
    } catch (err) {
      agent.moreOffline = true
      this.#logger.warn('listOfflineMessages failed; will try at the next read', { userId: agent.userId, error: (err as Error).message })
      return false
    }
  }

  /**
   * GRIDIM-CLI-10: the client has processed every event up to `cursor` (a cursor of its log):
   * acknowledge the stored messages it covers, then fetch the next page (GRIDIM-OFFL-9).
   */
  async readThrough (agent: Agent, cursor: string): Promise<void> {
    if (agent.unacknowledged.length === 0 && !agent.moreOffline) return
    const previous = this.#chains.get(agent) ?? Promise.resolve()
    const next = previous.then(async () => { await this.#readThrough(agent, cursor) })
    this.#chains.set(agent, next)
    await next
  }

  async #readThrough (agent: Agent, cursor: string): Promise<void> {
    const upTo = Number(cursor)
    for (let page = 0; page < PAGES_PER_READ && !agent.log.closed; page++) {
      const due = agent.unacknowledged.filter((m) => Number(m.cursor) <= upTo)
      if (due.length > 0 && !await this.#acknowledge(agent, due.map((m) => m.messageId))) return
      agent.unacknowledged = agent.unacknowledged.filter((m) => !due.includes(m))
      if (!agent.moreOffline || agent.unacknowledged.length > 0 || !await this.fetch(agent)) return
    }
  }

  async #acknowledge (agent: Agent, messageIds: string[]): Promise<boolean> {
    try {
      for (let i = 0; i < messageIds.length; i += ACK_BATCH) {
        await this.#userServer('acknowledgeOfflineMessages', { params: { userId: agent.userId }, body: { messageIds: messageIds.slice(i, i + ACK_BATCH) } })
      }
      return true
    } catch (err) {
      this.#logger.warn('acknowledgeOfflineMessages failed; will try at the next read', { userId: agent.userId, error: (err as Error).message })
      return false
    }
  }
}
