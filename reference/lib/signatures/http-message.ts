// The request as the signer built it or the verifier received it: method, absolute target URI,
// header fields by name (any case), and the exact body bytes.

export type HttpFields = Readonly<Record<string, string | readonly string[] | number | undefined>>

export type HttpBody = Buffer | Uint8Array | string

export type HttpRequest = {
  method: string
  /** Absolute target URI (RFC 9110 §7.1); a server rebuilds it from scheme, Host and path. */
  url: string
  headers: HttpFields
  body?: HttpBody
}

/**
 * RFC 9421 §2.1: a field's value is every field line with that (case-insensitive) name, each
 * with leading and trailing whitespace removed, joined with ", " in order. undefined when absent.
 */
export function fieldValue (fields: HttpFields, name: string): string | undefined {
  const lines: string[] = []
  for (const [fieldName, value] of Object.entries(fields)) {
    if (value === undefined || fieldName.toLowerCase() !== name) continue
    if (Array.isArray(value)) lines.push(...value)
    else lines.push(String(value))
  }
  return lines.length === 0 ? undefined : lines.map((line) => line.trim()).join(', ')
}

export function bodyBytes (body: HttpBody | undefined): Buffer {
  if (body === undefined) return Buffer.alloc(0)
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body.buffer, body.byteOffset, body.byteLength)
}
