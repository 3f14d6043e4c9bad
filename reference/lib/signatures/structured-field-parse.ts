// RFC 8941 §4.2: parsing Structured Field Values. Only Dictionaries are needed here
// (Signature-Input, Signature, Content-Digest). A parse failure returns undefined instead of
// throwing, so a caller can turn garbage into its own typed error and nothing else escapes.
import type { BareItem, Dictionary, InnerList, Item, Parameters } from './structured-field.ts'

/** Unwinds the recursive descent; never leaves this module. */
class Malformed extends Error {}

// Character classes as 128-entry tables: the parser runs on every signed request, and a table
// lookup per character costs a fraction of a regular expression test (issue 15).
const charTable = (chars: string): Uint8Array => {
  const table = new Uint8Array(128)
  for (const range of chars.match(/.-.|./gs) ?? []) {
    const from = range.charCodeAt(0)
    const to = range.length === 3 ? range.charCodeAt(2) : from
    for (let code = from; code <= to; code++) table[code] = 1
  }
  return table
}
const inTable = (table: Uint8Array, code: number): boolean => code < 128 && table[code] === 1

const LCALPHA = charTable('a-z')
const KEY_CHAR = charTable('a-z0-9_*.-')
const DIGIT = charTable('0-9')
const ALPHA = charTable('A-Za-z')
// RFC 9110 tchar, plus ":" and "/" (RFC 8941 §3.3.4)
const TOKEN_CHAR = charTable("!#$%&'*+^_`|~0-9A-Za-z:/.-")
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
  const start = c.pos
  const first = c.text.charCodeAt(start)
  if (!inTable(LCALPHA, first) && first !== 0x2a) throw new Malformed(`a key cannot start with "${c.peek()}"`)
  let end = start + 1
  while (end < c.text.length && inTable(KEY_CHAR, c.text.charCodeAt(end))) end++
  c.pos = end
  return c.text.slice(start, end)
}

/** RFC 8941 §4.2.3.1 */
function bareItem (c: Cursor): BareItem {
  const first = c.peek()
  const code = first.charCodeAt(0)
  if (first === '-' || inTable(DIGIT, code)) return numeric(c)
  if (first === '"') return { type: 'string', value: quotedString(c) }
  if (first === '*' || inTable(ALPHA, code)) return { type: 'token', value: token(c) }
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
  if (!inTable(DIGIT, c.text.charCodeAt(c.pos))) throw new Malformed('a number needs a digit')
  let digits = ''
  let isDecimal = false
  while (!c.done) {
    const char = c.peek()
    if (inTable(DIGIT, char.charCodeAt(0))) {
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
  const text = c.text
  let out = ''
  // Runs of plain characters are sliced whole; only an escape ends a run early.
  let run = c.pos
  while (c.pos < text.length) {
    const code = text.charCodeAt(c.pos)
    if (code === 0x5c) {
      const escaped = text.charCodeAt(c.pos + 1)
      if (escaped !== 0x22 && escaped !== 0x5c) throw new Malformed('bad escape in string')
      out += text.slice(run, c.pos)
      run = c.pos + 1
      c.pos += 2
    } else if (code === 0x22) {
      out += text.slice(run, c.pos)
      c.pos++
      return out
    } else {
      if (code < 0x20 || code > 0x7e) throw new Malformed('non-printable character in string')
      c.pos++
    }
  }
  throw new Malformed('unterminated string')
}

/** RFC 8941 §4.2.6 */
function token (c: Cursor): string {
  const start = c.pos
  let end = start + 1
  while (end < c.text.length && inTable(TOKEN_CHAR, c.text.charCodeAt(end))) end++
  c.pos = end
  return c.text.slice(start, end)
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
