// RFC 8941 §3: the data model of Structured Field Values, as far as signatures and digests need it.
// Bare items keep their type so that a parsed value serializes back to the same text (RFC 9421
// §2.3 signs the re-serialized Signature-Input member, so a decimal must not turn into an integer).

export type BareItem =
  | { type: 'integer', value: number }
  | { type: 'decimal', value: number }
  | { type: 'string', value: string }
  | { type: 'token', value: string }
  | { type: 'binary', value: Buffer }
  | { type: 'boolean', value: boolean }

/** RFC 8941 §3.1.2: an ordered map; keys are unique and keep their first position. */
export type Parameters = Map<string, BareItem>

/** RFC 8941 §3.3 */
export type Item = { kind: 'item', value: BareItem, params: Parameters }

/** RFC 8941 §3.1.1 */
export type InnerList = { kind: 'inner-list', items: Item[], params: Parameters }

/** RFC 8941 §3.2 */
export type Dictionary = Map<string, Item | InnerList>

export const integer = (value: number): BareItem => ({ type: 'integer', value })
export const string = (value: string): BareItem => ({ type: 'string', value })
export const binary = (value: Buffer): BareItem => ({ type: 'binary', value })

export function item (value: BareItem, params: Parameters = new Map()): Item {
  return { kind: 'item', value, params }
}
