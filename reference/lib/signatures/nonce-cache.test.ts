import t from 'tap'
import { NonceCache } from './nonce-cache.ts'

t.test('GRIDIM-SEC: a nonce is accepted once until it expires', async (t) => {
  const cache = new NonceCache()
  t.ok(cache.remember('a', 160, 100), 'first use')
  t.notOk(cache.remember('a', 170, 110), 'second use within the window')
  t.ok(cache.has('a', 160), 'still live at its expiry second')
  t.notOk(cache.has('a', 161), 'expired after')
  t.ok(cache.remember('a', 221, 161), 'accepted again once expired')
})

t.test('expired nonces are swept from the oldest end', async (t) => {
  const cache = new NonceCache()
  for (let i = 0; i < 10; i++) cache.remember(`n${i}`, 100 + i, 50)
  t.equal(cache.size, 10)
  cache.remember('late', 200, 105)
  t.equal(cache.size, 6, 'n0..n4 expired before 105 and were dropped; n5..n9 and late stay')
  t.notOk(cache.has('n4', 105))
  t.ok(cache.has('n5', 105))
})

t.test('an expired nonce behind a longer-lived one is still answered as expired', async (t) => {
  const cache = new NonceCache()
  cache.remember('long', 1000, 0)
  cache.remember('short', 10, 0)
  t.equal(cache.size, 2)
  t.ok(cache.remember('short', 80, 20), 'short has expired, so it is accepted again')
})

t.test('past the size cap the oldest nonces are evicted first', async (t) => {
  const cache = new NonceCache({ maxEntries: 3 })
  for (const nonce of ['a', 'b', 'c', 'd']) t.ok(cache.remember(nonce, 1000, 0))
  t.equal(cache.size, 3)
  t.notOk(cache.has('a', 0), 'a was evicted')
  t.ok(cache.has('b', 0) && cache.has('c', 0) && cache.has('d', 0))
  t.notOk(cache.remember('d', 1000, 0), 'a live nonce is still refused')
  t.equal(cache.size, 3, 'a refused nonce changes nothing')
})

t.test('the default cap is 100 000 and holds under load', async (t) => {
  const cache = new NonceCache()
  t.equal(cache.maxEntries, 100_000)
  for (let i = 0; i < 100_010; i++) cache.remember(String(i), 1000, 0)
  t.equal(cache.size, 100_000)
  t.notOk(cache.has('9', 0))
  t.ok(cache.has('10', 0))
})

t.test('a cap that is not a positive integer is refused at start-up', async (t) => {
  t.throws(() => new NonceCache({ maxEntries: 0 }), RangeError)
  t.throws(() => new NonceCache({ maxEntries: 1.5 }), RangeError)
})
