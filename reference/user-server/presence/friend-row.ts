// A friend row as the user server answers it (GRIDIM-PRES-2), with the one deliberate fault that
// reads the rights the wrong way round (reference/lib/faults.ts, friend-rows-rights-reversed).
import type { Friend } from '../../lib/contract/types.ts'
import type { FriendRow } from '../../store/index.ts'
import type { UserServerContext } from '../context.ts'
import { grantsSeeOnline } from './rights.ts'
import { friendView, type IsOnline } from './rules.ts'

export function friendRow (ctx: Pick<UserServerContext, 'faults'>, row: FriendRow, isOnline: IsOnline): Friend {
  const view = friendView(row, isOnline)
  if (!ctx.faults.has('friend-rows-rights-reversed')) return view
  // The bug: `online` follows what the listing user grants, not what the friend grants it.
  const { online: _shown, ...rest } = view
  return grantsSeeOnline(row.rightsGranted) ? { ...rest, online: isOnline(row.friendId) } : rest
}
