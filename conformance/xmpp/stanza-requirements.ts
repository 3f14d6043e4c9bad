// The requirement that makes the gateway send each kind of stanza, so that a stanza breaking its
// schema fails a check tagged with the rule it was sent under.
import type { ObservedName } from './judge-stanza.ts'

export const STANZA_REQUIREMENTS: Record<ObservedName, string[]> = {
  'chat-message': ['GRIDIM-XMPP-27'],
  'chat-state': ['GRIDIM-XMPP-33'],
  'groupchat-message': ['GRIDIM-XMPP-39'],
  'message-error': ['GRIDIM-ERR-8', 'GRIDIM-XMPP-30'],
  'presence-error': ['GRIDIM-ERR-8'],
  'presence-available': ['GRIDIM-XMPP-22'],
  'presence-unavailable': ['GRIDIM-XMPP-22'],
  'presence-probe': ['GRIDIM-XMPP-24'],
  'presence-subscribe': ['GRIDIM-XMPP-16'],
  'presence-subscribed': ['GRIDIM-XMPP-18'],
  'presence-unsubscribe': ['GRIDIM-XMPP-20'],
  'presence-unsubscribed': ['GRIDIM-XMPP-20'],
  'direct-invitation': ['GRIDIM-XMPP-35'],
  'muc-invitation': ['GRIDIM-XMPP-35'],
  'muc-invite': ['GRIDIM-XMPP-35'],
  'muc-join': ['GRIDIM-XMPP-36'],
  'muc-leave': ['GRIDIM-XMPP-40'],
  'roster-result': ['GRIDIM-XMPP-13'],
  'roster-push': ['GRIDIM-XMPP-14'],
  // Sent by the runner's clients only; a query the gateway sends breaks no rule of its own.
  'disco-info-query': [],
  'disco-info-result': ['GRIDIM-XMPP-34', 'GRIDIM-XMPP-61']
}
