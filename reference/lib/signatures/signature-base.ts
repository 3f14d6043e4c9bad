// RFC 9421 §2.5: the signature base, the exact text that Ed25519 signs.
import { componentValue } from './component-value.ts'
import { BadSignatureError } from './errors.ts'
import type { HttpRequest } from './http-message.ts'
import type { InnerList } from './structured-field.ts'
import { serializeInnerList } from './structured-field-serialize.ts'

/** RFC 9421 §2.5: the base is ASCII; a newline inside a value would forge a line. */
const BASE_VALUE = /^[\x20-\x7e\t]*$/

/**
 * RFC 9421 §2.5: one line `"<identifier>": <value>` per covered component, in the order of the
 * Signature-Input member, then `"@signature-params": <that member, serialized>` with no trailing
 * newline. Throws BadSignatureError for a duplicated, unsupported, parameterized or absent component.
 * https://www.rfc-editor.org/rfc/rfc9421.html#section-2.5
 */
export function signatureBase (request: HttpRequest, input: InnerList): string {
  const names: string[] = []
  for (const entry of input.items) {
    if (entry.value.type !== 'string') throw new BadSignatureError('a covered component identifier must be a string')
    const name = entry.value.value
    // "The component identifiers MUST NOT be repeated" (with the same parameters, §2.5 step 2.1)
    if (names.includes(name)) throw new BadSignatureError(`component ${name} is covered twice`)
    if (entry.params.size > 0) throw new BadSignatureError(`component parameters on ${name} are not supported`)
    names.push(name)
  }
  return componentLines(request, names) + signatureParamsLine(serializeInnerList(input))
}

/**
 * RFC 9421 §2.5 step 2: the lines of the covered components `names` (distinct, without
 * parameters), each ending in a newline. A signer adds the signatureParamsLine of the member it
 * serialized once for Signature-Input, rather than building and serializing it twice.
 */
export function componentLines (request: HttpRequest, names: readonly string[]): string {
  const message = { method: request.method, url: absoluteUrl(request.url), headers: request.headers }
  let base = ''
  for (const name of names) {
    const value = componentValue(message, name)
    if (!BASE_VALUE.test(value)) throw new BadSignatureError(`component ${name} has a value that cannot be signed`)
    // componentValue accepted the name, so it is a derived component or a lower-case field
    // name: its sf-string needs no escapes (RFC 8941 §4.1.6), only the quotes.
    base += `"${name}": ${value}\n`
  }
  return base
}

/** RFC 9421 §2.5 step 3: the last line, the serialized Signature-Input member. */
export function signatureParamsLine (member: string): string {
  return `"@signature-params": ${member}`
}
function absoluteUrl (url: string): URL {
  try {
    return new URL(url)
  } catch {
    throw new TypeError(`request.url must be an absolute URL, got ${JSON.stringify(url)}`)
  }
}
