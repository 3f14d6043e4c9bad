import t from 'tap'
import { groupDeliveries } from './forward.ts'

t.test('GRIDIM-GRP-30: each delivery\'s size is its JSON\'s, in bytes, though serialised once per message', (t) => {
  const shared = { groupSessionId: 'g', messageId: 'm', fromUserId: 'a', fromName: 'Zoë "Z" Ærø', body: 'naïve \\ \u2028 \u{1F600} "quoted"\n', sentAt: '2024-01-01T00:00:00.000Z' }
  const items = [['b'], ['c', 'd', 'é'], []]
  const destinations = items.map((ids, i) => ({ target: { regionId: `r${i}`, url: `http://r${i}` }, items: ids, itemsBytes: Buffer.byteLength(JSON.stringify(ids)) }))
  const out = groupDeliveries(shared, destinations)
  t.same(out.map((d) => d.target.regionId), ['r0', 'r1', 'r2'])
  for (const { delivery, bytes } of out) t.equal(bytes, Buffer.byteLength(JSON.stringify(delivery)), JSON.stringify(delivery.toUserIds))
  t.same(out[1]!.delivery, { ...shared, toUserIds: ['c', 'd', 'é'] })
  for (const { delivery, json } of out) t.equal(json(), JSON.stringify(delivery), 'GRIDIM-GRP-31: the outbox row\'s JSON is the delivery\'s')
  const cached = groupDeliveries(shared, destinations.map((d) => ({ ...d, itemsJson: JSON.stringify(d.items) })))
  for (const { delivery, json } of cached) t.equal(json(), JSON.stringify(delivery), 'made from the cached ids too')
  t.end()
})
