// The ceiling: each message is one keep-alive HTTP request to the echo server, done when the
// answer carrying it comes back.
import type { Link } from '../harness/load.ts'
import { keepAliveAgent, send } from './http-client.ts'
import { payload, seqOf } from './payload.ts'

export function openEchoLink (url: string, pairs: number, size: number): Link & { close: () => void } {
  const agent = keepAliveAgent()
  const target = new URL('/echo', url)
  const link = {
    pairs,
    errors: 0,
    delivered: (_seq: number): void => {},
    send (_pair: number, seq: number): void {
      send(agent, 'POST', target, JSON.stringify({ toUserId: 'echo', body: payload(seq, size) }))
        .then((answer) => { link.delivered(seqOf(JSON.parse(answer.text).body)) }, () => { link.errors++ })
    },
    close: (): void => { agent.destroy() }
  }
  return link
}
