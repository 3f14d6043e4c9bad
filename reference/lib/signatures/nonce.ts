// GRIDIM-SEC-16: a fresh nonce for every signature, 128 bits from the CSPRNG as base64url.
// randomBytes(16) costs one native call per signature (~3 µs, a tenth of the Ed25519 signature
// itself, issue 15); here the CSPRNG fills a pool once per 256 nonces and each nonce takes the
// next 16 bytes of it. No byte of the pool is handed out twice: a refill overwrites it all.
import { randomFillSync } from 'node:crypto'

/** GRIDIM-SEC-16: 128 bits. */
export const NONCE_BYTES = 16

export class NoncePool {
  readonly #pool: Buffer
  #next: number

  /** `nonces` per refill of the pool (default 256, a 4 KiB pool). */
  constructor (nonces = 256) {
    if (!Number.isInteger(nonces) || nonces < 1) throw new RangeError('a nonce pool holds a positive whole number of nonces')
    this.#pool = Buffer.allocUnsafeSlow(nonces * NONCE_BYTES)
    this.#next = this.#pool.length
  }

  /** 16 bytes never handed out before, as base64url (22 characters). */
  take (): string {
    if (this.#next === this.#pool.length) {
      randomFillSync(this.#pool)
      this.#next = 0
    }
    const start = this.#next
    this.#next += NONCE_BYTES
    return this.#pool.toString('base64url', start, this.#next)
  }
}

const shared = new NoncePool()

/** A fresh nonce from this thread's pool. */
export function freshNonce (): string {
  return shared.take()
}
