// GRIDIM-ID-4: a session secret carries 256 random bits, base64url (43 characters). The store
// keeps only its SHA-256, so a copy of the database does not let anyone act as a client.
import { createHash, randomBytes } from 'node:crypto'

export function newSessionSecret (): string {
  return randomBytes(32).toString('base64url')
}

export function hashSessionSecret (secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('base64url')
}
