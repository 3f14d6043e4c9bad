// A bound session's stanzas (RFC 6120 §8): `from` checked and stamped, the IQs the server
// answers itself, everything else to the GridPort; failures answered with stanza errors.
import type { Element } from 'ltx'
import { StanzaError, StreamError } from '../stanza/index.ts'
import { stanzaErrorFor } from './errors.ts'
import { discoInfoResult, errorReply, iqResult, isPingTo, isRosterGet, rosterResult } from './iq.ts'
import { NS_SESSION } from './ns.ts'
import type { C2sSessionHandle, GridPort, RosterSource } from './types.ts'

export interface RouterContext {
  domain: string
  gridPort: GridPort
  roster: RosterSource
}

/**
 * RFC 6120 §8.1.2.1: the server MUST stamp `from` with the full JID, and a `from` that names
 * anyone else is an <invalid-from/> stream error (§4.9.3.9).
 */
export function stampFrom (session: C2sSessionHandle, el: Element): void {
  const from = el.attrs.from
  if (from !== undefined && from !== session.jid && from !== session.bareJid) {
    throw new StreamError('invalid-from', 'the from address is not this stream\'s (RFC 6120 §8.1.2.1)')
  }
  el.attrs.from = session.jid
}

/** Routes one stanza; a StreamError thrown from here closes the stream. */
export async function routeStanza (ctx: RouterContext, session: C2sSessionHandle, el: Element): Promise<void> {
  if (el.name !== 'message' && el.name !== 'presence' && el.name !== 'iq') {
    throw new StreamError('unsupported-stanza-type', `<${el.name.slice(0, 64)}/> is not a stanza (RFC 6120 §4.9.3.24)`)
  }
  stampFrom(session, el)
  try {
    if (el.name === 'iq') return await routeIq(ctx, session, el)
    if (el.name === 'message') return await ctx.gridPort.onMessage(session, el)
    return await ctx.gridPort.onPresence(session, el)
  } catch (error) {
    if (error instanceof StreamError) throw error
    // RFC 6120 §8.3.1 (GRIDIM-XMPP-31): never answer an error with an error.
    if (el.attrs.type !== 'error') session.send(errorReply(el, stanzaErrorFor(error), ctx.domain))
  }
}

/** RFC 6120 §8.2.3: get/set need an id and exactly one answer; result/error get none. */
async function routeIq (ctx: RouterContext, session: C2sSessionHandle, iq: Element): Promise<void> {
  const type = iq.attrs.type
  if (type === 'result' || type === 'error') return void await ctx.gridPort.onIq?.(session, iq)
  if ((type !== 'get' && type !== 'set') || typeof iq.attrs.id !== 'string' || iq.getChildElements().length !== 1) {
    throw new StanzaError('bad-request', 'an IQ get or set needs an id and exactly one child (RFC 6120 §8.2.3)')
  }
  const toSelf = iq.attrs.to === undefined || iq.attrs.to === session.bareJid
  if (toSelf && isRosterGet(iq)) return session.send(rosterResult(iq, await ctx.roster(session.userId)))
  if (isPingTo(iq, ctx.domain)) return session.send(iqResult(iq, ctx.domain))
  // RFC 3921 §3: legacy session establishment, still sent by clients after binding (Strophe).
  if (type === 'set' && iq.getChild('session', NS_SESSION) !== undefined) return session.send(iqResult(iq))
  const disco = discoInfoResult(iq, ctx.domain)
  if (disco !== undefined) return session.send(disco)
  const answer = await ctx.gridPort.onIq?.(session, iq)
  if (answer === undefined) throw new StanzaError('service-unavailable', 'no handler for this IQ (RFC 6120 §8.4)')
  session.send(answer)
}
