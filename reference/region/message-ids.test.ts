import t from 'tap'
import { newMessageId, timestamp } from './message-ids.ts'

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

t.test('a message gets a fresh lower-case version 4 UUID and a UTC time with Z (GRIDIM-ID-1, -2, -12)', async (t) => {
  const none = new Set<never>()
  const a = newMessageId(none)
  t.match(a, UUID_V4)
  t.not(newMessageId(none), a, 'fresh')
  t.equal(timestamp(Date.parse('2026-01-02T03:04:05.006Z'), none), '2026-01-02T03:04:05.006Z')
})

t.test('the faults bend exactly those forms', async (t) => {
  t.match(newMessageId(new Set(['region-upper-case-message-ids'])), /^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-/)
  t.match(newMessageId(new Set(['region-time-based-message-ids'])), /^[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-/)
  t.equal(timestamp(Date.parse('2026-01-02T03:04:05.006Z'), new Set(['region-timestamps-with-offset'])), '2026-01-02T03:04:05.006+00:00')
})
