// RFC 6121 §4: availability presence, and the probe a server sends to learn a contact's presence.
import { Element } from 'ltx'
import {
  BareJid, type PresenceAvailable, type PresenceProbe, type PresenceUnavailable, type Show
} from '../../../openapi/stanzas/index.ts'
import { NS_MUC_USER } from './ns.ts'
import { attrs, compact, contentChild, jidAttr, optionalChildText, optionalId, optionalJidAttr } from './read.ts'
import { StanzaError } from './xmpp-error.ts'

const SHOWS: ReadonlySet<string> = new Set<Show>(['away', 'chat', 'dnd', 'xa'])

/** RFC 6121 §4.7.2.1: "the XML character data MUST be one of the following" four values. */
function readShow (el: Element): Show | undefined {
  const show = contentChild(el, 'show')
  if (show === undefined) return undefined
  const value = show.getText().trim()
  if (!SHOWS.has(value)) throw new StanzaError('bad-request', `<show/> must be away, chat, dnd or xa (RFC 6121 §4.7.2.1)`)
  return value as Show
}

/** RFC 6121 §4.2.1 (broadcast, no `to`) and §4.6 (directed): presence without a type. */
export function presenceAvailableToStanza (presence: PresenceAvailable): Element {
  const el = new Element('presence', attrs({ from: presence.from, to: presence.to, id: presence.id }))
  if (presence.show !== undefined) el.c('show').t(presence.show)
  if (presence.status !== undefined) el.c('status').t(presence.status)
  if (presence.mucStatusCodes !== undefined) {
    const x = el.c('x', { xmlns: NS_MUC_USER })
    for (const code of presence.mucStatusCodes) x.c('status', { code })
  }
  return el
}

/** XEP-0045 §15.6: the status codes of an occupant's presence from a room, in ascending order. */
function readMucStatusCodes (el: Element): string[] | undefined {
  const codes = el.getChild('x', NS_MUC_USER)?.getChildren('status').map((s) => String(s.attrs.code ?? ''))
  return codes === undefined || codes.length === 0 ? undefined : codes.sort()
}

export function presenceAvailableFromStanza (el: Element): PresenceAvailable {
  return compact<PresenceAvailable>({
    kind: 'presenceAvailable',
    from: jidAttr(el, 'from'),
    to: optionalJidAttr(el, 'to'),
    id: optionalId(el),
    show: readShow(el),
    status: optionalChildText(el, 'status'),
    mucStatusCodes: readMucStatusCodes(el)
  })
}

/** RFC 6121 §4.5.1: unavailable presence, optionally with a <status/> (§4.7.2.2). */
export function presenceUnavailableToStanza (presence: PresenceUnavailable): Element {
  const el = new Element('presence', attrs({ type: 'unavailable', from: presence.from, to: presence.to, id: presence.id }))
  if (presence.status !== undefined) el.c('status').t(presence.status)
  return el
}

export function presenceUnavailableFromStanza (el: Element): PresenceUnavailable {
  return compact<PresenceUnavailable>({
    kind: 'presenceUnavailable',
    from: jidAttr(el, 'from'),
    to: optionalJidAttr(el, 'to'),
    id: optionalId(el),
    status: optionalChildText(el, 'status')
  })
}

/** RFC 6121 §4.3.1: a probe is sent to the contact's bare JID. */
export function presenceProbeToStanza (probe: PresenceProbe): Element {
  return new Element('presence', attrs({ type: 'probe', from: probe.from, to: probe.to, id: probe.id }))
}

export function presenceProbeFromStanza (el: Element): PresenceProbe {
  return compact<PresenceProbe>({
    kind: 'presenceProbe',
    from: jidAttr(el, 'from'),
    to: jidAttr(el, 'to', BareJid),
    id: optionalId(el)
  })
}
