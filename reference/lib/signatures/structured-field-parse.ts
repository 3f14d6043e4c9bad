// RFC 8941 §4.2: parsing Structured Field Values. Only Dictionaries are needed here
// (Signature-Input, Signature, Content-Digest). A parse failure returns undefined instead of
// throwing, so a caller can turn garbage into its own typed error and nothing else escapes.
import type { BareItem, Dictionary, InnerList, Item, Parameters } from './structured-field.ts'

/** Unwinds the recursive descent; never leaves this module. */
class Malformed extends Error {}

const LCALPHA = /[a-z]/
const KEY_CHAR = /[a-z0-9_\-.*]/
const DIGIT = /[0-9]/
const ALPHA = /[A-Za-z]/
// RFC 9110 tchar, plus ":" and "/" (RFC 8941 §3.3.4)
const TOKEN_CHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z:/]/
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/

class Cursor {
  pos = 0
  constructor (readonly text: string) {}

  get done (): boolean { return this.pos >= this.text.length }
  peek (): string { return this.text[this.pos] ?? '' }
  next (): string { return this.text[this.pos++] ?? '' }

  expect (char: string): void {
    if (this.next() !== char) throw new Malformed(`expected "${char}" at ${this.pos - 1}`)
  }

  skipSP (): void { while (this.peek() === ' ') this.pos++ }
  skipOWS (): void { while (this.peek() === ' ' || this.peek() === '\t') this.pos++ }
}

/**
 * RFC 8941 §4.2 and §4.2.2: parse a Dictionary. Pass the combined field value (RFC 9110 §5.3:
 * field lines joined with ", ").
 */
export function parseDictionary (text: string): Dictionary | undefined {
  try {
    const c = new Cursor(text)
    c.skipSP()
    const dictionary = dictionaryMembers(c)
    c.skipSP()
    if (!c.done) return undefined
    return dictionary
  } catch (error) {
    if (error instanceof Malformed) return undefined
    throw error
  }
}

function dictionaryMembers (c: Cursor): Dictionary {
  const dictionary: Dictionary = new Map()
  while (!c.done) {
    const name = key(c)
    let member: Item | InnerList
    if (c.peek() === '=') {
      c.next()
      member = itemOrInnerList(c)
    } else {
      member = { kind: 'item', value: { type: 'boolean', value: true }, params: parameters(c) }
    }
    dictionary.set(name, member)
    c.skipOWS()
    if (c.done) return dictionary
    c.expect(',')
    c.skipOWS()
    if (c.done) throw new Malformed('trailing comma')
  }
  return dictionary
}

function itemOrInnerList (c: Cursor): Item | InnerList {
  return c.peek() === '(' ? innerList(c) : parseItem(c)
}

/** RFC 8941 §4.2.1.2 */
function innerList (c: Cursor): InnerList {
  c.expect('(')
  const items: Item[] = []
  while (!c.done) {
    c.skipSP()
    if (c.peek() === ')') {
      c.next()
      return { kind: 'inner-list', items, params: parameters(c) }
    }
    items.push(parseItem(c))
    if (c.peek() !== ' ' && c.peek() !== ')') throw new Malformed('inner list items must be separated by a space')
  }
  throw new Malformed('unterminated inner list')
}

/** RFC 8941 §4.2.3 */
function parseItem (c: Cursor): Item {
  const value = bareItem(c)
  return { kind: 'item', value, params: parameters(c) }
}

/** RFC 8941 §4.2.3.2 */
function parameters (c: Cursor): Parameters {
  const params: Parameters = new Map()
  while (c.peek() === ';') {
    c.next()
    c.skipSP()
    const name = key(c)
    let value: BareItem = { type: 'boolean', value: true }
    if (c.peek() === '=') {
      c.next()
      value = bareItem(c)
    }
    params.set(name, value)
  }
  return params
}

/** RFC 8941 §4.2.3.3 */
function key (c: Cursor): string {
  const first = c.peek()
  if (!LCALPHA.test(first) && first !== '*') throw new Malformed(`a key cannot start with "${first}"`)
  let out = ''
  while (!c.done && KEY_CHAR.test(c.peek())) out += c.next()
  return out
}

/** RFC 8941 §4.2.3.1 */
function bareItem (c: Cursor): BareItem {
  const first = c.peek()
  if (first === '-' || DIGIT.test(first)) return numeric(c)
  if (first === '"') return { type: 'string', value: quotedString(c) }
  if (first === '*' || ALPHA.test(first)) return { type: 'token', value: token(c) }
  if (first === ':') return { type: 'binary', value: byteSequence(c) }
  if (first === '?') return { type: 'boolean', value: boolean(c) }
  throw new Malformed(`unexpected "${first}"`)
}

/** RFC 8941 §4.2.4 */
function numeric (c: Cursor): BareItem {
  let sign = 1
  if (c.peek() === '-') {
    c.next()
    sign = -1
  }
  if (!DIGIT.test(c.peek())) throw new Malformed('a number needs a digit')
  let digits = ''
  let isDecimal = false
  while (!c.done) {
    const char = c.peek()
    if (DIGIT.test(char)) {
      digits += c.next()
    } else if (char === '.' && !isDecimal) {
      if (digits.length > 12) throw new Malformed('decimal integer part too long')
      digits += c.next()
      isDecimal = true
    } else {
      break
    }
    if (!isDecimal && digits.length > 15) throw new Malformed('integer too long')
    if (isDecimal && digits.length > 16) throw new Malformed('decimal too long')
  }
  if (!isDecimal) return { type: 'integer', value: sign * Number(digits) }
  if (digits.endsWith('.')) throw new Malformed('decimal ends with "."')
  if (digits.length - digits.indexOf('.') - 1 > 3) throw new Malformed('more than three fractional digits')
  return { type: 'decimal', value: sign * Number(digits) }
}

/** RFC 8941 §4.2.5 */
function quotedString (c: Cursor): string {
  c.expect('"')
  let out = ''
  while (!c.done) {
    const char = c.next()
    if (char === '\\') {
      const escaped = c.next()
      if (escaped !== '"' && escaped !== '\\') throw new Malformed('bad escape in string')
      out += escaped
    } else if (char === '"') {
      return out
    } else {
      const code = char.charCodeAt(0)
      if (code < 0x20 || code > 0x7e) throw new Malformed('non-printable character in string')
      out += char
    }
  }
  throw new Malformed('unterminated string')
}

/** RFC 8941 §4.2.6 */
function token (c: Cursor): string {
  let out = c.next()
  while (!c.done && TOKEN_CHAR.test(c.peek())) out += c.next()
  return out
}

/** RFC 8941 §4.2.7 */
function byteSequence (c: Cursor): Buffer {
  c.expect(':')
  const end = c.text.indexOf(':', c.pos)
  if (end === -1) throw new Malformed('unterminated byte sequence')
  const encoded = c.text.slice(c.pos, end)
  if (!BASE64.test(encoded)) throw new Malformed('byte sequence is not base64')
  c.pos = end + 1
  return Buffer.from(encoded, 'base64')
}

/** RFC 8941 §4.2.8 */
function boolean (c: Cursor): boolean {
  c.expect('?')
  const char = c.next()
  if (char === '1') return true
  if (char === '0') return false
  throw new Malformed('a boolean is ?0 or ?1')
}
