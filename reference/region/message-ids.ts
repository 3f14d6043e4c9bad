// The identifier and timestamp a region writes into a message it sends for its client: a fresh
// version 4 UUID in lower case (GRIDIM-ID-1, GRIDIM-ID-2) and an RFC 3339 UTC time with `Z`
// (GRIDIM-ID-12). Three deliberate faults (reference/lib/faults.ts) bend exactly these forms.
import { randomUUID } from 'node:crypto'
import type { Fault } from '../lib/faults.ts'

export function newMessageId (faults: ReadonlySet<Fault>): string {
  const id = randomUUID()
  // As uuid.v1() writes it: the version digit says 1, a time-based UUID.
  if (faults.has('region-time-based-message-ids')) return `${id.slice(0, 14)}1${id.slice(15)}`
  // As .NET's Guid.ToString().ToUpper() or some databases write it.
  if (faults.has('region-upper-case-message-ids')) return id.toUpperCase()
  return id
}

export function timestamp (ms: number, faults: ReadonlySet<Fault>): string {
  const text = new Date(ms).toISOString()
  // As Python's datetime.isoformat() writes UTC: a numeric offset instead of `Z`.
  return faults.has('region-timestamps-with-offset') ? text.replace(/Z$/, '+00:00') : text
}
