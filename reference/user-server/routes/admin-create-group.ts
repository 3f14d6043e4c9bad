// adminCreateGroup — a pre-existing group whose members may start its session (seed step 12).
import { randomUUID } from 'node:crypto'
import type { HandlerFor } from '../../lib/http/index.ts'
import { requireUser } from '../auth/acting-for.ts'
import type { UserServerContext } from '../context.ts'

export function adminCreateGroup (ctx: UserServerContext): HandlerFor<'admin', 'adminCreateGroup'> {
  return async (input) => {
    const { name, memberIds } = input.body
    for (const id of memberIds) await requireUser(ctx, id)
    const group = { groupId: randomUUID(), name, memberIds }
    await ctx.store.createGroup(group)
    return { status: 201, body: group }
  }
}
