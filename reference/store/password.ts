/**
 * Password hashing for accounts: scrypt (RFC 7914) with a random salt per user, compared in
 * constant time. Runs on libuv's thread pool so a sign-on does not stall the event loop.
 *
 * The cost is the user server's (UserServerOptions.passwordCost) and is not stored with the hash:
 * a store's hashes verify only under the cost they were made with, so a store keeps one cost for
 * its whole life.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto'

/** scrypt's cost parameters (RFC 7914 §2): N the CPU/memory cost, r the block size, p the parallelism. */
export type PasswordCost = { readonly N: number, readonly r: number, readonly p: number }

/**
 * N = 2^14, r = 8, p = 1: RFC 7914's interactive-login parameters; needs 16 MiB and ~30 ms of
 * CPU per hash. What every user server uses unless told otherwise, `gridim user-server` always.
 */
export const INTERACTIVE_PASSWORD_COST: PasswordCost = Object.freeze({ N: 16384, r: 8, p: 1 })

/**
 * NOT FOR PRODUCTION — trivially brute-forced. N = 16, r = 1, p = 1 (the parameters of RFC 7914
 * §12's first test vector): for throwaway grids only, the ones the conformance runner embeds and
 * test grids, whose accounts live seconds in a temporary folder and which hash hundreds of
 * passwords per run (at the interactive cost, 20 s of CPU of a conformance run). Same algorithm and
 * code path, so what a flow shows about passwords (wrong ones refused, GRIDIM-SIGN-2) still holds.
 */
export const THROWAWAY_GRID_PASSWORD_COST: PasswordCost = Object.freeze({ N: 16, r: 1, p: 1 })
const keyLength = 32
const saltLength = 16

/** What UserRow keeps: both base64url. */
export interface PasswordHash {
  passwordHash: string
  passwordSalt: string
}

function derive(password: string, salt: Buffer, cost: PasswordCost): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, keyLength, { N: cost.N, r: cost.r, p: cost.p }, (error, key) =>
      error ? reject(error) : resolve(key),
    )
  })
}

export async function hashPassword(password: string, cost: PasswordCost = INTERACTIVE_PASSWORD_COST): Promise<PasswordHash> {
  const salt = randomBytes(saltLength)
  const key = await derive(password, salt, cost)
  return { passwordHash: key.toString('base64url'), passwordSalt: salt.toString('base64url') }
}

/** Stands in for an unknown user so that a wrong name costs as much time as a wrong password. */
const dummy: PasswordHash = {
  passwordHash: Buffer.alloc(keyLength).toString('base64url'),
  passwordSalt: Buffer.alloc(saltLength).toString('base64url'),
}

/**
 * True when password matches, hashed at `cost` (the cost it was stored with). Pass null for an
 * unknown user: the work is still done and the answer is false, so timing does not reveal which
 * names exist.
 */
export async function verifyPassword(password: string, stored: PasswordHash | null, cost: PasswordCost = INTERACTIVE_PASSWORD_COST): Promise<boolean> {
  const { passwordHash, passwordSalt } = stored ?? dummy
  const expected = Buffer.from(passwordHash, 'base64url')
  const key = await derive(password, Buffer.from(passwordSalt, 'base64url'), cost)
  if (expected.length !== key.length) return false
  return timingSafeEqual(key, expected) && stored !== null
}
