// The `stanza` and `no-stanza` expectations: a stanza the actor received that reads as the named
// schema and matches. Each positive expectation claims the stanza that meets it, so two
// expectations need two stanzas; only stanzas received since `since` (the start of the latest
// step whose action can change something) count, so an old stanza cannot meet a new expectation.
import { matches, mismatch } from '../runner/match.ts'
import type { IqStanza, Stanza } from '../../openapi/stanzas/index.ts'
import { isMeantAsObserved, readObserved, type ObservedName } from './judge-stanza.ts'
import type { StanzaRecord, XmppActor } from './xmpp-actor.ts'

export type StanzaQuery = {
  /** A stanza schema, or an <iq/> one (a roster result or push, a disco#info answer). */
  name: ObservedName
  match: unknown
  /** The first sequence number that counts. */
  since: number
  /** Sequence numbers already used by earlier expectations of the flow. */
  claimed: Set<number>
}

export type Found = { record: StanzaRecord, stanza: Stanza | IqStanza }

/** Received in the window and meant as the schema; claimed ones too when `withClaimed`. */
function candidates (actor: XmppActor, q: StanzaQuery, withClaimed = false): StanzaRecord[] {
  return actor.records.filter((r) => r.direction === 'received' && r.seq >= q.since && (withClaimed || !q.claimed.has(r.seq)) &&
    isMeantAsObserved(q.name, r.element, 'received'))
}

export function findStanza (actor: XmppActor, q: StanzaQuery): Found | undefined {
  for (const record of candidates(actor, q)) {
    const { stanza } = readObserved(q.name, record.element)
    if (stanza !== undefined && matches(stanza, q.match)) return { record, stanza }
  }
  return undefined
}

/** What the actor received since `since`, for a failure message: the near misses first. */
export function describeReceived (actor: XmppActor, q: StanzaQuery): string {
  const near = candidates(actor, q, true).map((r) => {
    const { stanza, problems } = readObserved(q.name, r.element)
    if (stanza === undefined) return `${q.name} breaking its schema (${problems.join('; ')}): ${r.xml}`
    return `${q.name} ${q.claimed.has(r.seq) ? 'already used by an earlier expectation' : `where ${mismatch(stanza, q.match) ?? '?'}`}: ${r.xml}`
  })
  const others = actor.records.filter((r) => r.direction === 'received' && r.seq >= q.since && !isMeantAsObserved(q.name, r.element, 'received'))
    .map((r) => r.verdict.schema ?? `<${r.element.name}${r.element.attrs.type === undefined ? '' : ` type='${String(r.element.attrs.type)}'`}>`)
  const parts = [`${actor.name} received no ${q.name} matching ${JSON.stringify(q.match)}`]
  if (near.length > 0) parts.push(`near misses: ${near.slice(0, 5).join(' | ')}`)
  parts.push(others.length > 0 ? `other stanzas: ${others.join(', ')}` : 'no other stanzas')
  return parts.join('; ')
}

/** Waits (bounded) for the stanza and claims it. */
export async function expectStanza (actor: XmppActor, q: StanzaQuery, timeoutMs: number): Promise<Found> {
  const found = await actor.waitFor(() => findStanza(actor, q), timeoutMs, () => describeReceived(actor, q))
  q.claimed.add(found.record.seq)
  return found
}

/** Throws when such a stanza was received. */
export function expectNoStanza (actor: XmppActor, q: StanzaQuery): void {
  const found = findStanza(actor, q)
  if (found !== undefined) throw new Error(`${actor.name} received ${q.name} it must not: ${found.record.xml}`)
}
