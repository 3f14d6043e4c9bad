// Every stanza an XMPP actor sends or receives is judged against the stanza schemas
// (openapi/stanzas): the schema it is meant to be (read-as.ts), read with the reference mapping,
// then the object checked against the JSON Schema itself. A problem names the schema and the
// member or rule it breaks.
import type { Element } from 'ltx'
import { iqSchemas, stanzaSchemas, type IqStanza, type Stanza } from '../../openapi/stanzas/index.ts'
import type { ValidateFunction } from 'ajv'
import { cachedSelfContained } from '../../reference/lib/contract/validator-cache.ts'
import { XmppError } from '../../reference/xmpp/stanza/index.ts'
import { iqSchemaOf, isIqName, isMeantAsIq, readIq, type IqName } from './read-iq.ts'
import { isMeantAs, readAs, schemaOf, type Direction, type StanzaName, type StanzaOf } from './read-as.ts'

/** A schema a flow can observe: a stanza the gateway maps, or an <iq/> exchange (read-iq.ts). */
export type ObservedName = StanzaName | IqName

const schemas = { ...stanzaSchemas, ...iqSchemas }

export type StanzaVerdict = {
  /** The schema the stanza is meant to be; undefined when none applies (an IQ nobody observes, a headline…). */
  schema?: ObservedName
  /** The object it reads as, when it reads at all. */
  stanza?: Stanza | IqStanza
  /** What breaks the schema, each naming it: empty when the stanza conforms. */
  problems: string[]
}

const validators = new Map<ObservedName, ValidateFunction>()

export function schemaId (name: ObservedName): string {
  return String(schemas[name].$id)
}

/** JSON Schema problems of an object meant to be `name`, each as "urn:…: /path message". */
export function checkObject (name: ObservedName, value: unknown): string[] {
  let validate = validators.get(name)
  if (validate === undefined) {
    validate = cachedSelfContained(schemas[name])
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

/** An <iq/> read as `name` and checked against its schema: the object only when it conforms. */
export function readCheckedIq (name: IqName, el: Element): { stanza?: IqStanza, problems: string[] } {
  const value = readIq(name, el)
  const problems = checkObject(name, value)
  // What the check above established: the object conforms to the schema of `name`.
  return problems.length === 0 ? { stanza: value as IqStanza, problems } : { problems }
}

/** Whether the element is meant as `name`, a stanza or an iq schema. */
export function isMeantAsObserved (name: ObservedName, el: Element, direction: Direction): boolean {
  return isIqName(name) ? isMeantAsIq(name, el) : isMeantAs(name, el, direction)
}

/** The element read as `name`, a stanza or an iq schema, and checked. */
export function readObserved (name: ObservedName, el: Element): { stanza?: Stanza | IqStanza, problems: string[] } {
  return isIqName(name) ? readCheckedIq(name, el) : readChecked(name, el)
}

export function judgeStanza (el: Element, direction: Direction): StanzaVerdict {
  const schema = schemaOf(el, direction)
  if (schema !== undefined) return { schema, ...readChecked(schema, el) }
  const iq = iqSchemaOf(el)
  return iq === undefined ? { problems: [] } : { schema: iq, ...readCheckedIq(iq, el) }
}
