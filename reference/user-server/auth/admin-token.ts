// GRIDIM-SEC-11: the admin interface takes `Authorization: Bearer <admin token>`. Both sides are
// hashed before the constant-time comparison, so neither the token's contents nor its length
// shows in the time taken.
import { createHash, timingSafeEqual } from 'node:crypto'
import { GridImError } from '../../lib/errors/index.ts'
import type { Authenticator } from '../../lib/http/index.ts'

function digest (text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest()
}

export function adminTokenAuthenticator (adminToken: string): Authenticator {
  if (adminToken.length === 0) throw new Error('the admin token must not be empty')
  const expected = digest(adminToken)
  return (raw) => {
    const header = raw.headers.authorization
    const match = typeof header === 'string' ? /^Bearer +(\S+)\s*$/i.exec(header) : null
    if (match === null || !timingSafeEqual(digest(match[1]!), expected)) {
      throw new GridImError('unauthenticated', 'the admin interface needs Authorization: Bearer <admin token>')
    }
    return { kind: 'admin' }
  }
}
