import t from 'tap'
import { hashPassword, INTERACTIVE_PASSWORD_COST, THROWAWAY_GRID_PASSWORD_COST, verifyPassword } from './password.ts'

t.test('a password verifies against its own hash and no other password does', async (t) => {
  const stored = await hashPassword('correct horse')
  const cases: [string, boolean][] = [
    ['correct horse', true],
    ['correct horsE', false],
    ['', false],
    ['correct horse ', false],
  ]
  for (const [attempt, expected] of cases) {
    t.equal(await verifyPassword(attempt, stored), expected, JSON.stringify(attempt))
  }
})

t.test('two users with the same password get different salts and hashes', async (t) => {
  const a = await hashPassword('same secret')
  const b = await hashPassword('same secret')
  t.not(a.passwordSalt, b.passwordSalt)
  t.not(a.passwordHash, b.passwordHash)
  t.ok(await verifyPassword('same secret', a))
  t.ok(await verifyPassword('same secret', b))
})

t.test('hash and salt are base64url of 32 and 16 bytes', async (t) => {
  const { passwordHash, passwordSalt } = await hashPassword('x')
  t.equal(Buffer.from(passwordHash, 'base64url').length, 32)
  t.equal(Buffer.from(passwordSalt, 'base64url').length, 16)
  t.match(passwordHash + passwordSalt, /^[A-Za-z0-9_-]+$/)
})

t.test('an unknown user (null) never verifies', async (t) => {
  t.equal(await verifyPassword('', null), false)
  t.equal(await verifyPassword('anything', null), false)
})

t.test('a damaged stored hash is a mismatch, not a crash', async (t) => {
  const stored = await hashPassword('pw')
  t.equal(await verifyPassword('pw', { ...stored, passwordHash: stored.passwordHash.slice(0, 10) }), false)
  t.equal(await verifyPassword('pw', { ...stored, passwordSalt: 'AAAA' }), false)
})

t.test('the cost is what it is told: the throwaway cost hashes cheaply and verifies only at that cost', async (t) => {
  const cheap = await hashPassword('pw', THROWAWAY_GRID_PASSWORD_COST)
  t.equal(await verifyPassword('pw', cheap, THROWAWAY_GRID_PASSWORD_COST), true)
  t.equal(await verifyPassword('wrong', cheap, THROWAWAY_GRID_PASSWORD_COST), false)
  // A hash made at one cost is a different key at another: the cost is part of the hash.
  t.equal(await verifyPassword('pw', cheap), false)
  t.equal(await verifyPassword('pw', await hashPassword('pw'), THROWAWAY_GRID_PASSWORD_COST), false)
  t.same(INTERACTIVE_PASSWORD_COST, { N: 16384, r: 8, p: 1 }, 'the default is RFC 7914 interactive-login cost')
  t.ok(Object.isFrozen(INTERACTIVE_PASSWORD_COST) && Object.isFrozen(THROWAWAY_GRID_PASSWORD_COST))
})

t.test('an impossible cost is an error, not a silent fallback', async (t) => {
  await t.rejects(hashPassword('pw', { N: 15, r: 1, p: 1 }))
})
