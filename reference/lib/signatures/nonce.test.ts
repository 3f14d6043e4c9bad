import t from 'tap'
import { freshNonce, NONCE_BYTES, NoncePool } from './nonce.ts'

t.test('GRIDIM-SEC-16: a nonce is 128 bits as base64url, 22 characters', async (t) => {
  t.equal(NONCE_BYTES, 16)
  t.match(freshNonce(), /^[A-Za-z0-9_-]{22}$/)
  t.equal(Buffer.from(freshNonce(), 'base64url').length, 16)
})

t.test('the pool hands out every nonce once, across refills', async (t) => {
  // A pool of 3 nonces refills on the 4th, 7th, ... take: 3000 takes are 1000 refills.
  const pool = new NoncePool(3)
  const seen = new Set<string>()
  for (let i = 0; i < 3000; i++) seen.add(pool.take())
  t.equal(seen.size, 3000, 'no nonce repeats, within a pool or after a refill')
  const one = new NoncePool(1)
  t.not(one.take(), one.take(), 'a pool of one refills on every take')
})

t.test('a pool of no nonces is refused', async (t) => {
  for (const bad of [0, -1, 1.5, Number.NaN]) t.throws(() => new NoncePool(bad), RangeError, String(bad))
})
