// XEP-0045 Multi-User Chat: GridIM group sessions as rooms — messages, joining and leaving.
import { Element } from 'ltx'
import { Body, FullJid, type GroupchatMessage, type MucJoin, type MucLeave } from '../../../openapi/stanzas/index.ts'
import { isFullJid } from './jid.ts'
import { NS_MUC, NS_MUC_USER } from './ns.ts'
import { attrs, compact, contentChild, jidAttr, limitedText, optionalChildText, optionalId, requiredId } from './read.ts'
import { StanzaError } from './xmpp-error.ts'

/** The most discussion history a joining occupant may ask for; a room may always send less. */
const MAX_HISTORY = 1000

/** XEP-0045 §7.4 (Sending a Message to All Occupants): a message of type groupchat. */
export function groupchatMessageToStanza (message: GroupchatMessage): Element {
  const el = new Element('message', attrs({ type: 'groupchat', from: message.from, to: message.to, id: message.id }))
  el.c('body').t(message.body)
  return el
}

export function groupchatMessageFromStanza (el: Element): GroupchatMessage {
  const body = contentChild(el, 'body')
  if (body === undefined) throw new StanzaError('feature-not-implemented', 'only groupchat messages with a <body/> are mapped')
  return {
    kind: 'groupchatMessage',
    from: jidAttr(el, 'from'),
    to: jidAttr(el, 'to'),
    id: requiredId(el),
    body: limitedText(body.getText(), 'the <body/>', Body)
  }
}

/** XEP-0045 §7.2.2 (Basic MUC Protocol): "<x xmlns='http://jabber.org/protocol/muc'/>" marks a join. */
export function isMucJoin (el: Element): boolean {
  return el.getChild('x', NS_MUC) !== undefined
}

export function mucJoinToStanza (join: MucJoin): Element {
  const el = new Element('presence', attrs({ from: join.from, to: join.to, id: join.id }))
  const x = el.c('x', { xmlns: NS_MUC })
  if (join.historyMaxStanzas !== undefined) x.c('history', { maxstanzas: String(join.historyMaxStanzas) })
  return el
}

/** XEP-0045 §7.2.15 (Managing Discussion History): maxstanzas, capped at MAX_HISTORY. */
function readHistory (x: Element): number | undefined {
  const value = x.getChild('history', NS_MUC)?.attrs.maxstanzas
  if (value === undefined) return undefined
  if (typeof value !== 'string' || !/^[0-9]{1,9}$/.test(value)) throw new StanzaError('bad-request', 'maxstanzas is not a number')
  return Math.min(Number(value), MAX_HISTORY)
}

export function mucJoinFromStanza (el: Element): MucJoin {
  const x = el.getChild('x', NS_MUC)
  if (x === undefined) throw new StanzaError('bad-request', 'a join without the MUC <x/> (XEP-0045 §7.2.2)')
  return compact<MucJoin>({
    kind: 'mucJoin',
    from: jidAttr(el, 'from'),
    to: jidAttr(el, 'to', FullJid),
    id: optionalId(el),
    historyMaxStanzas: readHistory(x)
  })
}

/**
 * XEP-0045 §7.14 (Exiting a Room): unavailable presence to room@service/nick. Nothing marks it,
 * so an unavailable presence to a full JID counts as leaving unless it carries the muc#user
 * occupant data a room sends out. A caller that knows its rooms should check the room exists.
 */
export function isMucLeave (el: Element): boolean {
  const to = el.attrs.to
  return typeof to === 'string' && isFullJid(to) && el.getChild('x', NS_MUC_USER) === undefined
}

export function mucLeaveToStanza (leave: MucLeave): Element {
  const el = new Element('presence', attrs({ type: 'unavailable', from: leave.from, to: leave.to, id: leave.id }))
  if (leave.status !== undefined) el.c('status').t(leave.status)
  return el
}

export function mucLeaveFromStanza (el: Element): MucLeave {
  return compact<MucLeave>({
    kind: 'mucLeave',
    from: jidAttr(el, 'from'),
    to: jidAttr(el, 'to', FullJid),
    id: optionalId(el),
    status: optionalChildText(el, 'status')
  })
}
