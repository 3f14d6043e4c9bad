// What the gateway's parts share. Built once by createGateway.
import type { Element } from 'ltx'
import type { Logger } from '../lib/http/index.ts'
import type { RegionContext } from '../region/context.ts'
import type { Addresses } from './addresses.ts'
import type { HostedUser, HostedUsers } from './hosted-users.ts'
import type { Outbound } from './to-xmpp.ts'

export type GatewayContext = {
  /** The region side: agents, inbox, user server, peers (the gateway is a region, chapter 1). */
  region: RegionContext
  addresses: Addresses
  users: HostedUsers
  out: Outbound
  logger: Logger
  /** Writes a stanza to the Jabber server; throws GridImError('unavailable') when it cannot be queued. */
  toJabberServer: (el: Element) => void
  /** Whether the component link is up (GRIDIM-XMPP-5). */
  linkUp: () => boolean
  /** Writes a stanza to whoever hosts `user`: its client stream, or the Jabber server. */
  send: (user: HostedUser, el: Element) => void
}
