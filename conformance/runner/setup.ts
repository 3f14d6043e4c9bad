// A flow's preconditions, made real through the admin interface: users (fresh ones per run, so
// runs never collide), friendships with their rights, groups, settings, and who is signed on.
// Foreign users get a fresh account at the Jabber server; where they have a friend or a group,
// the user server gets their record (adminCreateUser by jid), and a friendship with a grid user
// is also a mutual subscription in the foreign user's roster there (chapter 11).
import { randomBytes } from 'node:crypto'
import type { FlowContext } from './flow-context.ts'

async function createGridUser (ctx: FlowContext, name: string): Promise<void> {
  const firstName = `${name.replace(/[^A-Za-z0-9]/g, '')}${ctx.runTag}`.slice(0, 31)
  const lastName = 'Conformance'
  const password = randomBytes(12).toString('base64url')
  const created = await ctx.admin('adminCreateUser', { body: { firstName, lastName, password } })
  const user = { name, firstName, lastName, password, userId: created.userId, at: ctx.flow.actors[name]?.at }
  ctx.users.set(name, user)
  const jid = ctx.xmpp.gridJid(firstName, lastName)
  ctx.scope[name] = { userId: user.userId, firstName, lastName, password, name: `${firstName} ${lastName}`, ...(jid === undefined ? {} : { jid }) }
}

async function createForeignUser (ctx: FlowContext, name: string, recorded: boolean): Promise<void> {
  const { jid, userId } = await ctx.xmpp.prepareForeign(name)
  // GRIDIM-ID-10: the scope holds the id the spec derives; a user server that derives another
  // fails the flow's checks that name $D.userId.
  if (recorded) await ctx.admin('adminCreateUser', { body: { jid } })
  ctx.users.set(name, { name, firstName: jid, lastName: '', password: '', userId, at: ctx.flow.actors[name]?.at })
  ctx.scope[name] = { userId, jid, name: jid }
}

export async function applySetup (ctx: FlowContext): Promise<() => Promise<void>> {
  const { flow } = ctx
  const setup = flow.setup ?? {}
  await ctx.startSimulated()
  const userNames = new Set([...(setup.users ?? []), ...Object.entries(flow.actors).filter(([, a]) => a.kind === 'user').map(([n]) => n)])
  for (const name of userNames) await createGridUser(ctx, name)
  const withRecord = new Set([...(setup.friendships ?? []).flatMap((f) => f.between), ...(setup.groups ?? []).flatMap((g) => g.members)])
  for (const [name, actor] of Object.entries(flow.actors)) {
    if (actor.kind === 'xmpp-user' && !userNames.has(name) && ctx.xmpp.isForeign(name)) await createForeignUser(ctx, name, withRecord.has(name))
  }
  for (const f of setup.friendships ?? []) {
    const [a, b] = f.between
    await ctx.admin('adminCreateFriendship', { body: { userIds: [ctx.userIdOf(a), ctx.userIdOf(b)], rights: f.rights ?? { ab: 1, ba: 1 } } })
    for (const [one, other] of [f.between, [...f.between].reverse()] as Array<[string, string]>) {
      const contact = ctx.scope[other] as { jid?: string, name?: string } | undefined
      if (ctx.xmpp.isForeign(one) && contact?.jid !== undefined) await ctx.xmpp.seedRoster(one, { jid: contact.jid, name: String(contact.name) })
    }
  }
  for (const g of setup.groups ?? []) {
    const created = await ctx.admin('adminCreateGroup', { body: { name: `${g.name} ${ctx.runTag}`, memberIds: g.members.map((m) => ctx.userIdOf(m)) } })
    ctx.scope[g.name] = created
  }
  let restore = async (): Promise<void> => {}
  if (setup.settings) {
    const before = await ctx.admin('adminGetSettings')
    await ctx.admin('adminUpdateSettings', { body: { ...before, ...setup.settings } })
    restore = async () => { await ctx.admin('adminUpdateSettings', { body: before }) }
  }
  let xmppSignOns = 0
  // A foreign user's initial presence reaches the gateway only by way of a contact there, which
  // its roster has from setup's friendships (RFC 6121 §4.2.2); only then does the gateway sign it
  // on (GRIDIM-XMPP-25). Without one there is nothing to wait for.
  const befriended = new Set((setup.friendships ?? []).flatMap((f) => f.between))
  for (const name of setup.signedOn ?? []) {
    if (flow.actors[name]?.kind !== 'xmpp-user') { await ctx.signOn(name); continue }
    await ctx.xmpp.signOn(name)
    if (ctx.xmpp.isForeign(name) && !befriended.has(name)) continue
    await ctx.xmpp.untilOnline(name)
    xmppSignOns++
  }
  // An XMPP sign-on reaches the user server through the gateway, after the stream is up: the
  // notices it sets off must be over before step 1 counts exchanges.
  if (xmppSignOns > 0) await ctx.settle()
  return restore
}
