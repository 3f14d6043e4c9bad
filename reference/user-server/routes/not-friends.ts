// GRIDIM-FRND-11: the refusal for rights or an end between users who are not friends.
import { GridImError } from '../../lib/errors/index.ts'
import type { UserServerContext } from '../context.ts'

export function notFriends (ctx: Pick<UserServerContext, 'faults'>): GridImError {
  // The fault not-friends-as-forbidden reports a state (no friendship) as an authority failure.
  if (ctx.faults.has('not-friends-as-forbidden')) return new GridImError('forbidden', 'the users are not friends')
  return new GridImError('not-friends', 'the users are not friends')
}
