// What a client event says, without its cursor and time (client.yaml ClientEvent): its type and
// the data of that type. Notice-derived events carry the notice without `type` and `toUserId`.
import type { ClientEvent, Notice } from '../lib/contract/types.ts'

/** A ClientEvent's type and data, discriminated by `type`. */
export type EventContent = ClientEvent extends infer E ? (E extends { type: infer T, data: infer D } ? { type: T, data: D } : never) : never

/** The event content a notice becomes, per notice type. */
export type NoticeEvent = Notice extends infer N ? (N extends { type: infer T } ? { type: T, data: Omit<N, 'type' | 'toUserId'> } : never) : never

/**
 * The content of the event a notice becomes (GRIDIM-SIGN-18). Typed as EventContent, so a
 * notice type the contract does not carry as an event, or carries differently, fails typecheck.
 */
export function noticeEvent (notice: Notice): EventContent {
  const { type, toUserId: _, ...data } = notice
  // The same members regrouped; TypeScript cannot follow that `data` is what `type` carries.
  const event = { type, data } as NoticeEvent
  return event
}
