// XEP-0124 §14.1–§14.3: where a request's rid falls relative to the last one handled.

export type RidVerdict =
  /** The next request, or one within the window that arrived early: handle in rid order. */
  | 'accept'
  /** Handled before: answer again with the response kept for it (§14.3, broken connections). */
  | 'repeat'
  /** Outside the window: terminate with item-not-found (§14.1, GRIDIM-XMPP-11). */
  | 'invalid'

/**
 * "The connection manager MUST expect the rid … to be within a window of values greater than
 * the rid of the previous request", the window being 'requests' wide; a rid already handled
 * and still within the window of kept responses is a retransmission.
 */
export function classifyRid (rid: number, lastHandled: number, requests: number, seen: (rid: number) => boolean): RidVerdict {
  if (rid > lastHandled && rid <= lastHandled + requests) return seen(rid) ? 'invalid' : 'accept'
  if (rid <= lastHandled && rid > lastHandled - requests && seen(rid)) return 'repeat'
  return 'invalid'
}
