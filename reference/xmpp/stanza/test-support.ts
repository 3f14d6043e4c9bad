// Helpers for the stanza tests: the contract's validator, round trips through real XML text,
// and reading fixtures. Not a test file itself.
import type { Test } from 'tap'
import { stanzaSchemas, type Stanza } from '../../../openapi/stanzas/index.ts'
import { createAjv } from '../../lib/contract/ajv.ts'
import { fromStanza } from './from-stanza.ts'
import { parseStanzaXml } from './parse.ts'
import { toStanza } from './to-stanza.ts'

const ajv = createAjv()
for (const schema of Object.values(stanzaSchemas)) ajv.addSchema(schema)

/** `chatMessage` → `urn:gridim:stanza:chat-message`. */
export function schemaIdOf (kind: string): string {
  return 'urn:gridim:stanza:' + kind.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())
}

/** Ajv's complaints about an object against the schema its `kind` names; [] when it is valid. */
export function schemaErrors (value: { kind: string } | object, id = schemaIdOf((value as { kind: string }).kind)): string[] {
  const validate = ajv.getSchema(id)
  if (validate === undefined) return [`no schema ${id}`]
  if (validate(value)) return []
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`)
}

/** Object → element → XML text → element → object, the way the gateway sends and receives. */
export function roundTrip (stanza: Stanza): { xml: string, back: Stanza } {
  const xml = toStanza(stanza).toString()
  return { xml, back: fromStanza(parseStanzaXml(xml)) }
}

/** A fixture as it would arrive on the wire. */
export function readStanza (xml: string): Stanza {
  return fromStanza(parseStanzaXml(xml))
}

/** The stanza survives the round trip unchanged, and both ends satisfy the contract. */
export function assertRoundTrip (t: Test, stanza: Stanza): string {
  t.strictSame(schemaErrors(stanza), [], 'the object satisfies its schema')
  const { xml, back } = roundTrip(stanza)
  t.strictSame(back, stanza, 'object → stanza → object is lossless')
  t.strictSame(schemaErrors(back), [], 'what comes back satisfies its schema')
  return xml
}

/** A fixture maps to exactly `expected`, which satisfies the contract. */
export function assertReads (t: Test, xml: string, expected: Stanza): void {
  const stanza = readStanza(xml)
  t.strictSame(stanza, expected)
  t.strictSame(schemaErrors(stanza), [], 'the object satisfies its schema')
}

/** Reading `xml` fails with `condition`, as a StanzaError unless `name` says otherwise. */
export function assertRejects (t: Test, xml: string, condition: string, name = 'StanzaError'): void {
  t.throws(() => readStanza(xml), { name, condition }, `${condition}: ${xml.slice(0, 100)}`)
}
