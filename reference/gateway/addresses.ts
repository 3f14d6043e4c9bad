// XMPP addresses of grid users, foreign users and rooms (spec chapters 2 and 11).
// A grid user "Ada Lovelace" is ada.lovelace@<gateway domain>, and on the XMPP side speaks from
// the resource `grid`; a foreign user's name is its bare JID, which is also its address; a group
// session is the room <groupSessionId>@<gateway domain> (GRIDIM-XMPP-34).
import { normaliseBareJid } from '../lib/identifiers/index.ts'

/** The resource a grid user's presence and messages come from on the XMPP side. */
export const GRID_RESOURCE = 'grid'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** A user's `name` as the grid reports it: a bare JID for a foreign user (GRIDIM-ID-10). */
export function isForeignName (name: string): boolean {
  return name.includes('@')
}

export class Addresses {
  readonly domain: string

  constructor (domain: string) {
    this.domain = domain.toLowerCase()
  }

  /** GRIDIM-ID-8: `first.last@domain`, lower-cased; a foreign user's bare JID as it is. */
  bare (name: string): string {
    if (isForeignName(name)) return normaliseBareJid(name)
    return `${name.trim().split(/\s+/).join('.').toLowerCase()}@${this.domain}`
  }

  /** The address stanzas about the user come from: grid users with the resource `grid`. */
  of (name: string): string {
    return isForeignName(name) ? normaliseBareJid(name) : `${this.bare(name)}/${GRID_RESOURCE}`
  }

  room (groupSessionId: string): string {
    return `${groupSessionId}@${this.domain}`
  }

  /** `room/nick`: an occupant's address; the nick is always the member's name (GRIDIM-XMPP-36). */
  occupant (groupSessionId: string, name: string): string {
    return `${this.room(groupSessionId)}/${name}`
  }

  /** Whether a JID is at the gateway domain. */
  isLocal (jid: string): boolean {
    return domainOf(jid) === this.domain
  }

  /** GRIDIM-ID-9: the group session a local JID names, if its localpart is a groupSessionId. */
  roomOf (jid: string): string | undefined {
    if (!this.isLocal(jid)) return undefined
    const local = localOf(jid)
    return UUID.test(local) ? local : undefined
  }

  /** GRIDIM-ID-9: `first.last` at the gateway domain names a grid user; the two parts, or undefined. */
  gridNameOf (jid: string): { firstName: string, lastName: string } | undefined {
    if (!this.isLocal(jid)) return undefined
    return splitLocalpart(localOf(jid))
  }
}

/** `first.last` (any case) as the two name parts, or undefined when it is not of that shape. */
export function splitLocalpart (local: string): { firstName: string, lastName: string } | undefined {
  const parts = local.split('.')
  if (parts.length !== 2 || parts.some((p) => !/^[A-Za-z0-9]{1,31}$/.test(p))) return undefined
  return { firstName: parts[0]!, lastName: parts[1]! }
}

export function domainOf (jid: string): string {
  const bare = jid.split('/')[0]!
  return (bare.includes('@') ? bare.slice(bare.indexOf('@') + 1) : bare).toLowerCase()
}

export function localOf (jid: string): string {
  const bare = jid.split('/')[0]!
  return bare.includes('@') ? bare.slice(0, bare.indexOf('@')).toLowerCase() : ''
}

export function resourceOf (jid: string): string | undefined {
  const i = jid.indexOf('/')
  return i === -1 ? undefined : jid.slice(i + 1)
}
