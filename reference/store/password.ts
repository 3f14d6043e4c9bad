/**
 * Password hashing for accounts: scrypt (RFC 7914) with a random salt per user, compared in
 * constant time. Runs on libuv's thread pool so a sign-on does not stall the event loop.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto'

/** N = 2^14, r = 8, p = 1: RFC 7914's interactive-login parameters; needs 16 MiB per hash. */
const options: ScryptOptions = { N: 16384, r: 8, p: 1 }
const keyLength = 32
const saltLength = 16

/** What UserRow keeps: both base64url. */
export interface PasswordHash {
  passwordHash: string
  passwordSalt: string
}

function derive(password: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, keyLength, options, (error, key) =>
      error ? reject(error) : resolve(key),
    )
  })
}

export async function hashPassword(password: string): Promise<PasswordHash> {
  const salt = randomBytes(saltLength)
  const key = await derive(password, salt)
  return { passwordHash: key.toString('base64url'), passwordSalt: salt.toString('base64url') }
}

/** Stands in for an unknown user so that a wrong name costs as much time as a wrong password. */
const dummy: PasswordHash = {
  passwordHash: Buffer.alloc(keyLength).toString('base64url'),
  passwordSalt: Buffer.alloc(saltLength).toString('base64url'),
}

/**
 * True when password matches. Pass null for an unknown user: the work is still done and the
 * answer is false, so timing does not reveal which names exist.
 */
export async function verifyPassword(password: string, stored: PasswordHash | null): Promise<boolean> {
  const { passwordHash, passwordSalt } = stored ?? dummy
  const expected = Buffer.from(passwordHash, 'base64url')
  const key = await derive(password, Buffer.from(passwordSalt, 'base64url'))
  if (expected.length !== key.length) return false
  return timingSafeEqual(key, expected) && stored !== null
}
