// Who is who in a flow's traffic: which base URLs and signing keys belong to roles under test,
// and which to roles the runner plays. Only what an implementation under test produced is
// judged against the contract: its requests, and its answers.
import type { Target } from '../target/target.ts'

export type FlowRoles = {
  target: Target
  /** Flow actor name → a region of the target. */
  regions: ReadonlyMap<string, { url: string, regionId?: string }>
  /** Flow actor name → a role the runner plays. */
  simulated: ReadonlyMap<string, { url: string, regionId: string }>
}

export type Role = { name: string, underTest: boolean }

/** GRIDIM-ROLE-8: the user server signs with the key id `user-server`. */
export const USER_SERVER_KEY_ID = 'user-server'

/**
 * The origin of a URL, each distinct scheme and authority parsed once: every exchange a thread
 * sees is matched against the roles of every flow running in it (isFlowRole), and the roles' own
 * URLs against it. The key is the URL up to the path after its `//`, which holds the whole
 * authority and so gives the same origin (a backslash or query there only makes another key); a
 * URL without `//` is its own key.
 */
const origins = new Map<string, string>()
export function originOf (url: string): string {
  const authority = url.indexOf('//')
  const slash = authority < 0 ? -1 : url.indexOf('/', authority + 2)
  const head = slash < 0 ? url : url.slice(0, slash)
  let o = origins.get(head)
  if (o === undefined) {
    if (origins.size >= 10_000) origins.clear()
    o = new URL(head).origin
    origins.set(head, o)
  }
  return o
}

/** The role serving at `url`, named as the flow names it (US, R1, RX), or the host when unknown. */
export function roleAt (roles: FlowRoles, url: string): Role {
  const o = originOf(url)
  const { target } = roles
  if (o === originOf(target.userServerUrl)) return { name: 'US', underTest: target.playsUserServer !== true }
  for (const [name, r] of roles.regions) if (originOf(r.url) === o) return { name, underTest: true }
  for (const [name, r] of roles.simulated) if (originOf(r.url) === o) return { name, underTest: false }
  const region = target.regions.find((r) => originOf(r.url) === o)
  if (region) return { name: region.name, underTest: true }
  if (target.gateway && originOf(target.gateway.url) === o) return { name: 'GW', underTest: true }
  return { name: new URL(url).host, underTest: false }
}

/**
 * Whether `url` is a role of this flow: one of the target's, or one the runner plays for it.
 * Traffic to anything else (a role of another flow, when flows run at once) is not the flow's.
 */
export function isFlowRole (roles: FlowRoles, url: string): boolean {
  const o = originOf(url)
  const { target } = roles
  if (o === originOf(target.userServerUrl) || target.regions.some((r) => originOf(r.url) === o) ||
    (target.gateway !== undefined && originOf(target.gateway.url) === o)) return true
  for (const r of roles.simulated.values()) if (originOf(r.url) === o) return true
  return false
}

/** The role that signed with `keyId`; undefined for an unsigned request (the runner's, or a client's). */
export function signerOf (roles: FlowRoles, keyId: string | undefined): Role | undefined {
  if (keyId === undefined) return undefined
  for (const [name, r] of roles.simulated) if (r.regionId === keyId) return { name, underTest: false }
  if (keyId === USER_SERVER_KEY_ID) return roleAt(roles, roles.target.userServerUrl)
  const url = roles.target.keyIdUrl?.(keyId) ?? roles.target.regions.find((r) => r.regionId === keyId)?.url
  return url === undefined ? { name: keyId, underTest: true } : roleAt(roles, url)
}
