// RFC 4616 §2: message = [authzid] UTF8NUL authcid UTF8NUL passwd, carried base64-encoded in
// <auth mechanism='PLAIN'/> (RFC 6120 §6.4.2).

export interface PlainCredentials {
  authzid: string
  authcid: string
  password: string
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/

/** The decoded message, or undefined when it is malformed (RFC 6120 §6.5.6 <malformed-request/>). */
export function decodePlain (text: string): PlainCredentials | undefined {
  const compact = text.trim()
  if (compact === '' || compact === '=' || !BASE64.test(compact) || compact.length % 4 === 1) return undefined
  const decoded = Buffer.from(compact, 'base64').toString('utf8')
  const parts = decoded.split('\0')
  if (parts.length !== 3) return undefined
  const [authzid, authcid, password] = parts as [string, string, string]
  // RFC 4616 §2: authcid and passwd are 1..255 octets each.
  if (authcid === '' || password === '' || Buffer.byteLength(authcid) > 255 || Buffer.byteLength(password) > 255) return undefined
  return { authzid, authcid, password }
}
