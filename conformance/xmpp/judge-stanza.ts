// Every stanza an XMPP actor sends or receives is judged against the stanza schemas
// (openapi/stanzas): the schema it is meant to be (read-as.ts), read with the reference mapping,
// then the object checked against the JSON Schema itself. A problem names the schema and the
// member or rule it breaks.
import type { Element } from 'ltx'
import { stanzaSchemas, type Stanza } from '../../openapi/stanzas/index.ts'
import { createAjv } from '../../reference/lib/contract/ajv.ts'
import { XmppError } from '../../reference/xmpp/stanza/index.ts'
import { readAs, schemaOf, type Direction, type StanzaName, type StanzaOf } from './read-as.ts'

export type StanzaVerdict = {
  /** The schema the stanza is meant to be; undefined when none applies (an IQ, a headline…). */
  schema?: StanzaName
  /** The object it reads as, when it reads at all. */
  stanza?: Stanza
  /** What breaks the schema, each naming it: empty when the stanza conforms. */
  problems: string[]
}

const ajv = createAjv()
const validators = new Map<StanzaName, ReturnType<typeof ajv.compile>>()

export function schemaId (name: StanzaName): string {
  return String(stanzaSchemas[name].$id)
}

/** JSON Schema problems of an object meant to be `name`, each as "urn:…: /path message". */
export function checkObject (name: StanzaName, value: unknown): string[] {
  let validate = validators.get(name)
  if (validate === undefined) {
    validate = ajv.compile(JSON.parse(JSON.stringify(stanzaSchemas[name])))
    validators.set(name, validate)
  }
  if (validate(value)) return []
  return (validate.errors ?? []).map((e) => `${schemaId(name)}: ${e.instancePath || '/'} ${e.message ?? 'is invalid'}` +
    (e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''))
}

/** Reads `el` as schema `name`: the object, or the problems that stop it reading or validating. */
export function readChecked<N extends StanzaName> (name: N, el: Element): { stanza?: StanzaOf<N>, problems: string[] } {
  let stanza: StanzaOf<N>
  try {
    stanza = readAs(name, el)
  } catch (err) {
    if (!(err instanceof XmppError)) throw err
    return { problems: [`${schemaId(name)}: ${err.message}`] }
  }
  // The mapping reads addresses leniently (a resource on a subscription is dropped, RFC 6121
  // §3.1.2); the schema says what the sender must write, so `from` is checked as written. Not
  // `to`: the recipient's server may deliver to the full JID (ejabberd does, for subscriptions).
  const from = el.attrs.from
  const problems = checkObject(name, typeof from === 'string' ? { ...stanza, from } : stanza)
  return problems.length === 0 ? { stanza, problems } : { problems }
}

export function judgeStanza (el: Element, direction: Direction): StanzaVerdict {
  const schema = schemaOf(el, direction)
  if (schema === undefined) return { problems: [] }
  return { schema, ...readChecked(schema, el) }
}
