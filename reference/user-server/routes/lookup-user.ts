// lookupUser — by display name, matched ignoring case (GRIDIM-ID-7), or by bare JID
// (GRIDIM-ID-11): at the gateway domain the grid user it names, elsewhere the foreign user of
// that JID, recorded on first use; or by user id (GRIDIM-XMPP-49), so that the gateway can reach a
// foreign user it has never seen: the id is derived from the JID (GRIDIM-ID-10) and cannot be undone.
import type { Schema } from '../../lib/contract/types.ts'
import { GridImError } from '../../lib/errors/index.ts'
import type { HandlerFor, PeerPrincipal } from '../../lib/http/index.ts'
import type { UserRow } from '../../store/index.ts'
import type { UserServerContext } from '../context.ts'
import { displayName } from '../conversions.ts'
import { foreignUser, gridUserOfJid, isForeignUser } from '../users/foreign-users.ts'

export function lookupUser (ctx: UserServerContext): HandlerFor<'user-server', 'lookupUser', PeerPrincipal> {
  return async ({ query }) => {
    const { name, jid, userId } = query
    if ([name, jid, userId].filter((q) => q !== undefined).length !== 1) throw new GridImError('invalid-request', 'give exactly one of name, jid and userId')
    let user: UserRow | null
    if (name !== undefined) {
      const [firstName, lastName] = name.split(' ') as [string, string]
      user = await ctx.store.findUserByName(firstName, lastName)
    } else if (userId !== undefined) {
      user = await ctx.store.getUser(userId)
    } else if (jid!.toLowerCase().endsWith(`@${ctx.gatewayDomain.toLowerCase()}`)) {
      user = await gridUserOfJid(ctx.store, jid!, ctx.gatewayDomain)
    } else {
      user = await foreignUser(ctx.store, jid!, ctx.now())
    }
    if (user === null) throw new GridImError('unknown-user', `no user ${name ?? jid ?? userId}`)
    const summary: Schema<'UserSummary'> = { userId: user.userId, name: displayName(user) }
    if (!isForeignUser(user)) Object.assign(summary, { firstName: user.firstName, lastName: user.lastName })
    return { body: summary }
  }
}
