// A `send` action's stanza: the object of the named schema built from the flow's args, checked
// against the schema, and mapped to XML by the reference mapping (toStanza).
import type { Element } from 'ltx'
import { toStanza } from '../../reference/xmpp/stanza/index.ts'
import { checkObject } from './judge-stanza.ts'
import type { StanzaName, StanzaOf } from './read-as.ts'

export type BuiltStanza<N extends StanzaName = StanzaName> = { schema: N, stanza: StanzaOf<N>, element: Element, problems: string[] }

/** `presence-subscribe` → `presenceSubscribe`: a stanza's kind is its schema name in camelCase (judge-stanza.test.ts checks every name). */
export function kindOf<N extends StanzaName> (name: N): StanzaOf<N>['kind'] {
  return name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()) as StanzaOf<N>['kind']
}

/** RFC 6121 §3.1.2: subscription stanzas carry bare JIDs; everything else the sender's full JID. */
export function defaultFrom (name: StanzaName, fullJid: string): string {
  return name.startsWith('presence-') && name.includes('subscribe') ? fullJid.split('/')[0]! : fullJid
}

/**
 * The stanza for `send: name` with `args`. `from` defaults to the address the sender's server
 * stamps (RFC 6120 §8.1.2.1). `attrs` are set on the element after mapping, for what the
 * mapping has no member for (a headline's type). Problems are the schema's, for the caller to
 * refuse, or to accept when the flow breaks the schema on purpose.
 */
export function buildStanza<N extends StanzaName> (name: N, args: Record<string, unknown>, fullJid: string, attrs: Record<string, string> = {}): BuiltStanza<N> {
  // Built from a flow's data: it is the schema's only when `problems` is empty (a flow may break
  // the schema on purpose), and toStanza maps what it is given either way.
  const stanza = { kind: kindOf(name), from: defaultFrom(name, fullJid), ...args } as StanzaOf<N>
  const problems = checkObject(name, stanza)
  const element = toStanza(stanza)
  for (const [key, value] of Object.entries(attrs)) element.attrs[key] = value
  return { schema: name, stanza, element, problems }
}
