// RFC 9421 §2.1 and §2.2: the value of one covered component of a request.
import { BadSignatureError } from './errors.ts'
import { fieldValue, type HttpFields } from './http-message.ts'

/** RFC 9421 §2.1: a field is named by its lower-cased field name (an RFC 9110 token). */
const FIELD_NAME = /^[a-z0-9!#$%&'*+\-.^_`|~]+$/

export type MessageParts = { method: string, url: URL, headers: HttpFields }

/**
 * The component value for identifier `name`. A component the message does not have is an
 * error: RFC 9421 §2.5 "If the component name ... is not present in the message, the signer
 * or verifier MUST fail".
 */
export function componentValue (message: MessageParts, name: string): string {
  switch (name) {
    // §2.2.1: the method as it is, case-sensitive
    case '@method': return message.method
    // §2.2.2: the full target URI (never a fragment; it is not sent)
    case '@target-uri': return targetUri(message.url)
    // §2.2.3: host[:port], lower-cased, default port left out
    case '@authority': return message.url.host
    // §2.2.6: the absolute path; an empty path is "/"
    case '@path': return message.url.pathname === '' ? '/' : message.url.pathname
    // §2.2.7: the query with its leading "?"; no query (or an empty one) is "?" alone
    case '@query': return message.url.search === '' ? '?' : message.url.search
  }
  if (name.startsWith('@')) throw new BadSignatureError(`derived component ${name} is not supported`)
  if (!FIELD_NAME.test(name)) throw new BadSignatureError(`component ${JSON.stringify(name)} is not a lower-case field name`)
  const value = fieldValue(message.headers, name)
  if (value === undefined) throw new BadSignatureError(`covered field ${name} is not in the message`)
  return value
}

function targetUri (url: URL): string {
  // A fragment is never sent. "#" occurs in a serialized URL only where the fragment starts
  // (WHATWG URL percent-encodes it elsewhere), so cutting there is setting hash to '' without
  // copying the URL (an empty fragment, "…#", is cut too).
  const href = url.href
  const fragment = href.indexOf('#')
  return fragment === -1 ? href : href.slice(0, fragment)
}
