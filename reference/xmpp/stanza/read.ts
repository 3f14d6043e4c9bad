// Reading the parts of a stanza element, each failure raised as the RFC 6120 §8.3.3 condition
// the sender should see. Every reader returns undefined for "absent" so objects stay compact.
import type { Element } from 'ltx'
import type { TString } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import { Jid, StanzaId, Text } from '../../../openapi/stanzas/index.ts'
import { checkJid } from './jid.ts'
import { STANZA_NAMESPACES } from './ns.ts'
import { StanzaError } from './xmpp-error.ts'

/** A required address attribute: missing is bad-request, malformed is jid-malformed. */
export function jidAttr (el: Element, name: string, schema: TString = Jid): string {
  const value = el.attrs[name]
  if (typeof value !== 'string') throw new StanzaError('bad-request', `<${el.name}/> has no '${name}' address`)
  return checkJid(value, schema)
}

export function optionalJidAttr (el: Element, name: string, schema: TString = Jid): string | undefined {
  return el.attrs[name] === undefined ? undefined : jidAttr(el, name, schema)
}

/** RFC 6120 §8.1.3: the id attribute, bounded by the contract. */
export function optionalId (el: Element): string | undefined {
  const id = el.attrs.id
  if (id === undefined) return undefined
  if (!Value.Check(StanzaId, id)) throw new StanzaError('bad-request', 'the stanza id is empty or too long')
  return id
}

export function requiredId (el: Element): string {
  const id = optionalId(el)
  if (id === undefined) throw new StanzaError('bad-request', `this <${el.name}/> needs an id`)
  return id
}

/** A direct child in the stanza's own content namespace (RFC 6120 §4.8.3), e.g. <body/>. */
export function contentChild (el: Element, name: string): Element | undefined {
  return el.getChildElements().find((child) => {
    if (child.getName() !== name) return false
    const ns = child.getNS()
    return ns === undefined || STANZA_NAMESPACES.has(ns)
  })
}

/**
 * Text that must fit a GridIM limit: 1..1023 characters (the schema) and 1..1023 bytes of UTF-8
 * (GRIDIM IM body rule). Empty text is bad-request; text past the limit is not-acceptable, the
 * condition of GridIM's message-too-long.
 */
export function limitedText (text: string, what: string, schema: TString = Text): string {
  if (text === '') throw new StanzaError('bad-request', `${what} is empty`)
  if (Buffer.byteLength(text, 'utf8') > 1023 || !Value.Check(schema, text)) {
    throw new StanzaError('not-acceptable', `${what} is longer than 1023 bytes of UTF-8`)
  }
  return text
}

/** Optional text: empty counts as absent (clients send an empty <status/>), too long does not. */
export function optionalText (text: string | undefined, what: string, schema: TString = Text): string | undefined {
  return text === undefined || text === '' ? undefined : limitedText(text, what, schema)
}

export function optionalChildText (el: Element, name: string, schema: TString = Text): string | undefined {
  return optionalText(contentChild(el, name)?.getText(), `<${name}/>`, schema)
}

/** Attribute values for a new element, leaving out the absent ones. */
export function attrs (values: Record<string, string | number | undefined>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(values)) if (value !== undefined) out[name] = String(value)
  return out
}

/** An object without its undefined members, so it deep-equals the object it was made from. */
export function compact<T extends object> (value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T
}
