// 1:1 messages over the grid, as clients see it: the sender's client posts
// clientSendInstantMessage to its region, which delivers straight to the recipient's region
// (signed HTTP, GRIDIM-IM-1); the recipient's client reads it from its event stream
// (clientStreamEvents, server-sent events).
import type { Link } from '../harness/load.ts'
import { keepAliveAgent, openEventStream, send } from './http-client.ts'
import { payload, seqOf } from './payload.ts'

export type GridClient = { regionUrl: string, userId: string, sessionSecret: string }

export async function openGridLink (pairs: Array<{ from: GridClient, to: GridClient }>, size: number): Promise<Link & { close: () => void, outcomes: Record<string, number> }> {
  const agent = keepAliveAgent()
  const streams: Array<{ close: () => void }> = []
  const outcomes: Record<string, number> = {}
  const link = {
    pairs: pairs.length,
    errors: 0,
    outcomes,
    delivered: (_seq: number): void => {},
    send (pair: number, seq: number): void {
      const { from, to } = pairs[pair]!
      const body = JSON.stringify({ toUserId: to.userId, body: payload(seq, size) })
      send(agent, 'POST', new URL('/client/instant-messages', from.regionUrl), body, { authorization: `Bearer ${from.sessionSecret}` })
        .then((answer) => {
          if (answer.status !== 200) { link.errors++; return }
          const outcome = String(JSON.parse(answer.text).outcome)
          outcomes[outcome] = (outcomes[outcome] ?? 0) + 1
        }, () => { link.errors++ })
    },
    close (): void {
      for (const s of streams) s.close()
      agent.destroy()
    }
  }
  for (const { to } of pairs) {
    streams.push(await openEventStream(new URL('/client/events/stream', to.regionUrl), { authorization: `Bearer ${to.sessionSecret}` }, (type, data) => {
      if (type !== 'instantMessage') return
      link.delivered(seqOf(JSON.parse(data).data.body))
    }))
  }
  return link
}
