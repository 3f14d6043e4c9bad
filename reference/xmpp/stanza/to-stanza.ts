// Grid object → XML stanza. The element carries no xmlns: the stream it is written to supplies
// the content namespace (jabber:component:accept, jabber:client), RFC 6120 §4.8.3.
import type { Element } from 'ltx'
import type { Stanza } from '../../../openapi/stanzas/index.ts'
import { chatMessageToStanza } from './chat-message.ts'
import { chatStateToStanza } from './chat-state.ts'
import { directInvitationToStanza, mucInvitationToStanza, mucInviteToStanza } from './invitation.ts'
import { groupchatMessageToStanza, mucJoinToStanza, mucLeaveToStanza } from './muc.ts'
import { presenceAvailableToStanza, presenceProbeToStanza, presenceUnavailableToStanza } from './presence.ts'
import { messageErrorToStanza, presenceErrorToStanza } from './stanza-error.ts'
import { subscriptionToStanza } from './subscription.ts'

export function toStanza (stanza: Stanza): Element {
  switch (stanza.kind) {
    case 'chatMessage': return chatMessageToStanza(stanza)
    case 'chatState': return chatStateToStanza(stanza)
    case 'groupchatMessage': return groupchatMessageToStanza(stanza)
    case 'messageError': return messageErrorToStanza(stanza)
    case 'presenceAvailable': return presenceAvailableToStanza(stanza)
    case 'presenceUnavailable': return presenceUnavailableToStanza(stanza)
    case 'presenceProbe': return presenceProbeToStanza(stanza)
    case 'presenceSubscribe':
    case 'presenceSubscribed':
    case 'presenceUnsubscribe':
    case 'presenceUnsubscribed': return subscriptionToStanza(stanza)
    case 'presenceError': return presenceErrorToStanza(stanza)
    case 'mucJoin': return mucJoinToStanza(stanza)
    case 'mucLeave': return mucLeaveToStanza(stanza)
    case 'mucInvite': return mucInviteToStanza(stanza)
    case 'mucInvitation': return mucInvitationToStanza(stanza)
    case 'directInvitation': return directInvitationToStanza(stanza)
    default: return unknownKind(stanza)
  }
}

function unknownKind (stanza: never): never {
  throw new TypeError(`no stanza mapping for kind ${(stanza as { kind?: unknown }).kind}`)
}
