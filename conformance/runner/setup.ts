// A flow's preconditions, made real through the admin interface: users (fresh ones per run, so
// runs never collide), friendships with their rights, groups, settings, and who is signed on.
import { randomBytes } from 'node:crypto'
import type { FlowContext } from './flow-context.ts'

export async function applySetup (ctx: FlowContext): Promise<() => Promise<void>> {
  const { flow } = ctx
  const setup = flow.setup ?? {}
  await ctx.startSimulated()
  const userNames = new Set([...(setup.users ?? []), ...Object.entries(flow.actors).filter(([, a]) => a.kind === 'user').map(([n]) => n)])
  for (const name of userNames) {
    const firstName = `${name.replace(/[^A-Za-z0-9]/g, '')}${ctx.runTag}`.slice(0, 31)
    const lastName = 'Conformance'
    const password = randomBytes(12).toString('base64url')
    const created = await ctx.admin('adminCreateUser', { body: { firstName, lastName, password } })
    const user = { name, firstName, lastName, password, userId: created.userId, at: flow.actors[name]?.at }
    ctx.users.set(name, user)
    ctx.scope[name] = { userId: user.userId, firstName, lastName, password, name: `${firstName} ${lastName}` }
  }
  for (const f of setup.friendships ?? []) {
    const [a, b] = f.between.map((n) => ctx.users.get(n)?.userId)
    await ctx.admin('adminCreateFriendship', { body: { userIds: [a, b], rights: f.rights ?? { ab: 1, ba: 1 } } })
  }
  for (const g of setup.groups ?? []) {
    const created = await ctx.admin('adminCreateGroup', { body: { name: `${g.name} ${ctx.runTag}`, memberIds: g.members.map((m) => ctx.users.get(m)?.userId) } })
    ctx.scope[g.name] = created
  }
  let restore = async (): Promise<void> => {}
  if (setup.settings) {
    const before = await ctx.admin('adminGetSettings')
    await ctx.admin('adminUpdateSettings', { body: { ...before, ...setup.settings } })
    restore = async () => { await ctx.admin('adminUpdateSettings', { body: before }) }
  }
  for (const name of setup.signedOn ?? []) await ctx.signOn(name)
  return restore
}
