// adminCreateUser — GRIDIM-ID-7 (names unique ignoring case), GRIDIM-SEC-12 (scrypt, never the
// password itself); with a `jid`, the foreign user of that JID as the gateway would record it on
// first use (GRIDIM-ID-10, GRIDIM-ID-11), so that fixtures can befriend outside Jabber users.
import { randomUUID } from 'node:crypto'
import { GridImError } from '../../lib/errors/index.ts'
import type { HandlerFor } from '../../lib/http/index.ts'
import { hashPassword } from '../../store/index.ts'
import type { UserServerContext } from '../context.ts'
import { displayName } from '../conversions.ts'
import { foreignUser, normaliseBareJid } from '../users/foreign-users.ts'

export function adminCreateUser (ctx: UserServerContext): HandlerFor<'admin', 'adminCreateUser'> {
  return async (input) => {
    const request = input.body
    if ('jid' in request) {
      const jid = normaliseBareJid(request.jid)
      if (jid.endsWith(`@${ctx.gatewayDomain.toLowerCase()}`)) {
        throw new GridImError('invalid-request', `${jid} is at the gateway domain: grid users are created by name and password`)
      }
      const user = await foreignUser(ctx.store, jid, ctx.now())
      return { status: 201, body: { userId: user.userId, name: user.firstName } }
    }
    const { firstName, lastName, password } = request
    const taken = () => new GridImError('invalid-request', `the name ${firstName} ${lastName} is taken`)
    if (await ctx.store.findUserByName(firstName, lastName) !== null) throw taken()
    const userId = randomUUID()
    const hash = await hashPassword(password, ctx.passwordCost)
    if (!await ctx.store.createUser({ userId, firstName, lastName, ...hash, createdAt: ctx.now() })) throw taken()
    return { status: 201, body: { userId, firstName, lastName, name: displayName({ firstName, lastName }) } }
  }
}
