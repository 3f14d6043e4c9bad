import t from 'tap'
import { LocationCache } from './location-cache.ts'
import { RecentIds } from './recent-ids.ts'

const at = (regionId: string) => ({ regionId, url: `http://${regionId}.test` })

t.test('GRIDIM-LOC-5: the cache remembers a location until evicted', async (t) => {
  const cache = new LocationCache()
  t.equal(cache.get('u1'), undefined)
  cache.set('u1', at('r1'))
  t.same(cache.get('u1'), at('r1'))
  cache.set('u1', at('r2'))
  t.same(cache.get('u1'), at('r2'), 'a newer location replaces the old')
  cache.evict('u1')
  t.equal(cache.get('u1'), undefined, 'a miss evicts')
})

t.test('the cache is bounded and forgets the least recently used first', async (t) => {
  const cache = new LocationCache({ maxEntries: 2 })
  cache.set('a', at('r1'))
  cache.set('b', at('r1'))
  cache.get('a')
  cache.set('c', at('r1'))
  t.equal(cache.size, 2)
  t.ok(cache.get('a'), 'a was used recently')
  t.equal(cache.get('b'), undefined, 'b was the least recently used')
  t.throws(() => new LocationCache({ maxEntries: 0 }), RangeError)
})

t.test('recent ids recognise repeats within a bounded memory', async (t) => {
  const ids = new RecentIds({ maxEntries: 2 })
  t.ok(ids.add('m1'))
  t.notOk(ids.add('m1'), 'a repeat')
  ids.add('m2')
  ids.add('m3')
  t.notOk(ids.has('m1'), 'the oldest is forgotten')
  t.ok(ids.has('m3'))
  t.throws(() => new RecentIds({ maxEntries: -1 }), RangeError)
})

t.test('GRIDIM-IM-14: an id is remembered for its time to live, then forgotten', async (t) => {
  let now = 0
  const ids = new RecentIds({ ttlMs: 1000, now: () => now })
  ids.add('m1')
  now = 999
  t.ok(ids.has('m1'))
  t.notOk(ids.add('m1'))
  now = 1000
  t.notOk(ids.has('m1'), 'forgotten after the time to live')
  t.ok(ids.add('m1'), 'and accepted again')
})
