// RFC 8941 §4.1: serializing Structured Field Values into their one canonical text.
import type { BareItem, Dictionary, InnerList, Item, Parameters } from './structured-field.ts'

const KEY = /^[a-z*][a-z0-9_\-.*]*$/
const TOKEN = /^[A-Za-z*][!#$%&'*+\-.^_`|~0-9A-Za-z:/]*$/
const PRINTABLE = /^[\x20-\x7e]*$/
const ESCAPED = /[\\"]/

/** RFC 8941 §4.1.2 */
export function serializeDictionary (dictionary: Dictionary): string {
  const members: string[] = []
  for (const [name, member] of dictionary) {
    if (member.kind === 'item' && member.value.type === 'boolean' && member.value.value) {
      members.push(serializeKey(name) + serializeParameters(member.params))
    } else {
      members.push(`${serializeKey(name)}=${member.kind === 'item' ? serializeItem(member) : serializeInnerList(member)}`)
    }
  }
  return members.join(', ')
}

/** RFC 8941 §4.1.1.1 */
export function serializeInnerList (list: InnerList): string {
  // A verifier serializes the Signature-Input member once per request (it is the base's last
  // line): plain loops and concatenation, no intermediate arrays (issue 15).
  let out = '('
  for (let i = 0; i < list.items.length; i++) out += (i === 0 ? '' : ' ') + serializeItem(list.items[i]!)
  return `${out})${serializeParameters(list.params)}`
}

/** RFC 8941 §4.1.3 */
export function serializeItem (item: Item): string {
  return serializeBareItem(item.value) + serializeParameters(item.params)
}

/** RFC 8941 §4.1.1.2 */
export function serializeParameters (params: Parameters): string {
  if (params.size === 0) return ''
  let out = ''
  for (const [name, value] of params) {
    out += `;${serializeKey(name)}`
    if (!(value.type === 'boolean' && value.value)) out += `=${serializeBareItem(value)}`
  }
  return out
}

/** RFC 8941 §4.1.1.3 */
export function serializeKey (name: string): string {
  if (!KEY.test(name)) throw new TypeError(`not a structured field key: ${JSON.stringify(name)}`)
  return name
}

/** RFC 8941 §4.1.3.1 */
export function serializeBareItem (item: BareItem): string {
  switch (item.type) {
    case 'integer':
      // §4.1.4
      if (!Number.isInteger(item.value) || Math.abs(item.value) > 999_999_999_999_999) {
        throw new TypeError(`not a structured field integer: ${item.value}`)
      }
      return String(item.value)
    case 'decimal': {
      // §4.1.5: round to three fractional digits, always show at least one
      const rounded = Math.round(item.value * 1000) / 1000
      if (!Number.isFinite(rounded) || Math.abs(Math.trunc(rounded)) > 999_999_999_999) {
        throw new TypeError(`not a structured field decimal: ${item.value}`)
      }
      return Number.isInteger(rounded) ? `${rounded}.0` : String(rounded)
    }
    case 'string':
      // §4.1.6
      if (!PRINTABLE.test(item.value)) throw new TypeError('a structured field string holds printable ASCII only')
      return ESCAPED.test(item.value) ? `"${item.value.replace(/[\\"]/g, (char) => `\\${char}`)}"` : `"${item.value}"`
    case 'token':
      // §4.1.7
      if (!TOKEN.test(item.value)) throw new TypeError(`not a structured field token: ${JSON.stringify(item.value)}`)
      return item.value
    case 'binary':
      // §4.1.8
      return `:${item.value.toString('base64')}:`
    case 'boolean':
      // §4.1.9
      return item.value ? '?1' : '?0'
  }
}
