// Room invitations: mediated through the room (XEP-0045 §7.8.2) or direct (XEP-0249).
import { Element } from 'ltx'
import {
  BareJid, type DirectInvitation, type MucInvitation, type MucInvite
} from '../../../openapi/stanzas/index.ts'
import { checkJid } from './jid.ts'
import { NS_CONFERENCE, NS_MUC_USER } from './ns.ts'
import { attrs, compact, jidAttr, optionalId, optionalText } from './read.ts'
import { StanzaError } from './xmpp-error.ts'

/** The <invite/> elements of a mediated invitation (none if the message is not one). */
export function findInvites (el: Element): Element[] {
  return el.getChild('x', NS_MUC_USER)?.getChildren('invite', NS_MUC_USER) ?? []
}

function inviteElement (stanza: MucInvite | MucInvitation, invite: Record<string, string>): Element {
  const el = new Element('message', attrs({ from: stanza.from, to: stanza.to, id: stanza.id }))
  const child = el.c('x', { xmlns: NS_MUC_USER }).c('invite', invite)
  if (stanza.reason !== undefined) child.c('reason').t(stanza.reason)
  return el
}

/** XEP-0045 §7.8.2: the inviter → the bare room, <invite to='invitee'/>. */
export function mucInviteToStanza (stanza: MucInvite): Element {
  return inviteElement(stanza, { to: stanza.invitee })
}

/** XEP-0045 §7.8.2: the room → the invitee, <invite from='inviter'/>. */
export function mucInvitationToStanza (stanza: MucInvitation): Element {
  return inviteElement(stanza, { from: stanza.inviter })
}

/**
 * Reads either step of a mediated invitation: an <invite/> with `to` is the inviter's request,
 * one with `from` is the room passing it on. Prosody adds a <body/> and a XEP-0249 <x/> to the
 * second step for older clients; the <invite/> wins.
 */
export function mediatedInvitationFromStanza (el: Element): MucInvite | MucInvitation {
  const invites = findInvites(el)
  if (invites.length !== 1) throw new StanzaError('feature-not-implemented', 'exactly one <invite/> per message is mapped')
  const invite = invites[0]
  const common = { id: optionalId(el), reason: optionalText(invite.getChild('reason', NS_MUC_USER)?.getText(), 'the <reason/>') }
  if (invite.attrs.to !== undefined) {
    return compact<MucInvite>({ kind: 'mucInvite', from: jidAttr(el, 'from'), to: jidAttr(el, 'to', BareJid), invitee: jidAttr(invite, 'to'), ...common })
  }
  if (invite.attrs.from !== undefined) {
    return compact<MucInvitation>({ kind: 'mucInvitation', from: jidAttr(el, 'from', BareJid), to: jidAttr(el, 'to'), inviter: jidAttr(invite, 'from'), ...common })
  }
  throw new StanzaError('bad-request', "an <invite/> names neither 'to' nor 'from' (XEP-0045 §7.8.2)")
}

/** XEP-0249 §2: <x xmlns='jabber:x:conference' jid='room@service' reason='…'/>. */
export function directInvitationToStanza (stanza: DirectInvitation): Element {
  const el = new Element('message', attrs({ from: stanza.from, to: stanza.to, id: stanza.id }))
  el.c('x', attrs({ xmlns: NS_CONFERENCE, jid: stanza.room, reason: stanza.reason }))
  return el
}

export function directInvitationFromStanza (el: Element): DirectInvitation {
  const x = el.getChild('x', NS_CONFERENCE)
  if (x === undefined) throw new StanzaError('bad-request', 'no jabber:x:conference invitation')
  const room = x.attrs.jid
  if (typeof room !== 'string') throw new StanzaError('bad-request', "the invitation has no room 'jid' (XEP-0249 §2)")
  return compact<DirectInvitation>({
    kind: 'directInvitation',
    from: jidAttr(el, 'from'),
    to: jidAttr(el, 'to'),
    id: optionalId(el),
    room: checkJid(room, BareJid),
    reason: optionalText(typeof x.attrs.reason === 'string' ? x.attrs.reason : undefined, 'the reason')
  })
}
