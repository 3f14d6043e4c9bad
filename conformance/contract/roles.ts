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

const origin = (url: string): string => new URL(url).origin

/**
 * The origins of the roles' own URLs, each parsed once: every exchange a thread sees is matched
 * against the roles of every flow running in it (isFlowRole), which parsed them all each time.
 */
const roleOrigins = new Map<string, string>()
function roleOrigin (url: string): string {
  let o = roleOrigins.get(url)
  if (o === undefined) {
    if (roleOrigins.size >= 10_000) roleOrigins.clear()
    o = origin(url)
    roleOrigins.set(url, o)
  }
  return o
}

/** The role serving at `url`, named as the flow names it (US, R1, RX), or the host when unknown. */
export function roleAt (roles: FlowRoles, url: string): Role {
  const o = origin(url)
  const { target } = roles
  if (o === roleOrigin(target.userServerUrl)) return { name: 'US', underTest: target.playsUserServer !== true }
  for (const [name, r] of roles.regions) if (roleOrigin(r.url) === o) return { name, underTest: true }
  for (const [name, r] of roles.simulated) if (roleOrigin(r.url) === o) return { name, underTest: false }
  const region = target.regions.find((r) => roleOrigin(r.url) === o)
  if (region) return { name: region.name, underTest: true }
  if (target.gateway && roleOrigin(target.gateway.url) === o) return { name: 'GW', underTest: true }
  return { name: new URL(url).host, underTest: false }
}

/**
 * Whether `url` is a role of this flow: one of the target's, or one the runner plays for it.
 * Traffic to anything else (a role of another flow, when flows run at once) is not the flow's.
 */
export function isFlowRole (roles: FlowRoles, url: string): boolean {
  const o = origin(url)
  const { target } = roles
  if (o === roleOrigin(target.userServerUrl) || target.regions.some((r) => roleOrigin(r.url) === o) ||
    (target.gateway !== undefined && roleOrigin(target.gateway.url) === o)) return true
  for (const r of roles.simulated.values()) if (roleOrigin(r.url) === o) return true
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
