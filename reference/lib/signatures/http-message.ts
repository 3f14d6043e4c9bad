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
  // Runs several times per signed request: names of another length are skipped before any
  // lower-casing, and the usual single line is returned without building a list (issue 15).
  let first: string | undefined
  let lines: string[] | undefined
  for (const fieldName in fields) {
    if (fieldName.length !== name.length || !Object.hasOwn(fields, fieldName)) continue
    const value = fields[fieldName]
    if (value === undefined || (fieldName !== name && fieldName.toLowerCase() !== name)) continue
    for (const line of Array.isArray(value) ? value as readonly string[] : [String(value)]) {
      if (first === undefined) first = line.trim()
      else (lines ??= [first]).push(line.trim())
    }
  }
  return lines === undefined ? first : lines.join(', ')
}

/** True when there is content: an empty body is no body. */
export function bodyIsEmpty (body: HttpBody | undefined): boolean {
  return body === undefined || body.length === 0
}

export function bodyBytes (body: HttpBody | undefined): Buffer {
  if (body === undefined) return Buffer.alloc(0)
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body.buffer, body.byteOffset, body.byteLength)
}
