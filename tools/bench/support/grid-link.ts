// 1:1 messages over the grid, as clients see it: the sender's client posts
// clientSendInstantMessage to its region through the typed PeerClient (the one client the
// runner uses; its cost beside the bench's lean untyped client is scenario 6's second table),
// and the region delivers straight to the recipient's region (signed HTTP, GRIDIM-IM-1); the
// recipient's client reads it from its event stream (clientStreamEvents, server-sent events).
import type { ClientEvent } from '../../../reference/lib/contract/types.ts'
import { PeerClient } from '../../../reference/lib/http/index.ts'
import type { Link } from '../harness/load.ts'
import { openEventStream } from './http-client.ts'
import { payload, seqOf } from './payload.ts'

export type GridClient = { regionUrl: string, userId: string, sessionSecret: string }

export async function openGridLink (pairs: Array<{ from: GridClient, to: GridClient }>, size: number): Promise<Link & { close: () => void, outcomes: Record<string, number> }> {
  const peer = new PeerClient()
  const streams: Array<{ close: () => void }> = []
  const outcomes: Record<string, number> = {}
  const link = {
    pairs: pairs.length,
    errors: 0,
    outcomes,
    delivered: (_seq: number): void => {},
    send (pair: number, seq: number): void {
      const { from, to } = pairs[pair]!
      peer.call(from.regionUrl, 'clientSendInstantMessage', { headers: { authorization: `Bearer ${from.sessionSecret}` }, body: { toUserId: to.userId, body: payload(seq, size) } })
        .then(({ body: { outcome } }) => { outcomes[outcome] = (outcomes[outcome] ?? 0) + 1 }, () => { link.errors++ })
    },
    close (): void {
      for (const s of streams) s.close()
    }
  }
  for (const { to } of pairs) {
    streams.push(await openEventStream(new URL('/client/events/stream', to.regionUrl), { authorization: `Bearer ${to.sessionSecret}` }, (type, data) => {
      if (type !== 'instantMessage') return
      // The region's own event stream: each data line is a ClientEvent as JSON (GRIDIM-CLI-14).
      const event = JSON.parse(data) as ClientEvent
      if (event.type === 'instantMessage') link.delivered(seqOf(event.data.body))
    }))
  }
  return link
}
