// GRIDIM-ERR-6: an error answer reveals nothing of the grid's insides — no stack trace, no
// source path, no query, and not the address of a service the caller does not talk to. The
// runner knows the addresses: the user server's, and where each role really listens behind the
// runner's proxies; a client talks to regions only.
import type { Target } from '../target/target.ts'

/** Where a role listens, as host:port, for every role of the target the caller does not reach. */
export function internalAddresses (target: Target): string[] {
  const direct = (url: string): string => target.links?.directUrl(url) ?? url
  const publicUrls = new Set(target.regions.map((r) => r.url))
  const urls = [target.userServerUrl, direct(target.userServerUrl), ...target.regions.map((r) => direct(r.url)).filter((u) => !publicUrls.has(u))]
  return [...new Set(urls.flatMap((u) => { try { return [new URL(u).host] } catch { return [] } }))]
}

const LEAKS: Array<[RegExp, string]> = [
  [/\n\s+at \S/, 'a stack trace'],
  [/(?:^|[\s"'(])\/(?:[\w.@-]+\/)+[\w.@-]+\.(?:ts|js|mjs|cjs|py|go|rs|java|sqlite|db)\b/, 'a file path'],
  [/\b(?:SELECT|INSERT INTO|UPDATE|DELETE FROM)\b[\s\S]*\b(?:FROM|SET|VALUES|WHERE)\b/, 'a query']
]

/** What in an answer's body reveals internal details; undefined when nothing does. */
export function leakIn (body: unknown, addresses: readonly string[]): string | undefined {
  const text = stringsOf(body).join('\n')
  const address = addresses.find((a) => text.includes(a))
  if (address !== undefined) return `the address of an internal service (${address})`
  return LEAKS.find(([pattern]) => pattern.test(text))?.[1]
}

/** Every string in a JSON value, member names too (as written, not JSON-escaped). */
function stringsOf (value: unknown): string[] {
  if (typeof value === 'string') return [value]
  if (Array.isArray(value)) return value.flatMap(stringsOf)
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => [k, ...stringsOf(v)])
  return []
}
