// Many BOSH sessions against one server (Prosody's mod_bosh or the gateway's /http-bind), and a
// Link over some of them for latency: pair i's sender sends a chat message to its recipient's
// bare JID, done when it comes back in one of the recipient's long-poll answers.
import type { Agent } from 'node:http'
import { mapLimit } from '../harness/concurrency.ts'
import type { Link } from '../harness/load.ts'
import { BoshClient } from './bosh-client.ts'
import { payload, seqOf } from './payload.ts'

export type BoshAccount = { username: string, password: string, jid: string }

export type BoshLoad = {
  clients: BoshClient[]
  loginMs: number
  failedLogins: number
  ended: () => number
  link: (pairs: number, bytes: number) => Link
  terminateAll: () => void
}

export async function openBoshSessions (options: {
  agent: Agent, url: URL, domain: string, accounts: BoshAccount[], wait: number, concurrency: number, log: (line: string) => void
}): Promise<BoshLoad> {
  const onBody: Array<(body: string) => void> = []
  let ended = 0
  let failedLogins = 0
  const clients = options.accounts.map((a, i) => new BoshClient({
    agent: options.agent, url: options.url, domain: options.domain, username: a.username, password: a.password, wait: options.wait,
    onBody: (body) => onBody[i]?.(body),
    onEnd: (reason) => { ended++; if (ended <= 3) options.log(`bosh: session ${a.username} ended: ${reason}`) }
  }))
  const started = performance.now()
  let done = 0
  const progress = setInterval(() => options.log(`bosh: ${done} of ${clients.length} sessions up`), 15_000)
  try {
    await mapLimit(clients, options.concurrency, async (c) => {
      try {
        await c.login()
        done++
      } catch (error) {
        failedLogins++
        if (failedLogins <= 3) options.log(`bosh: login failed: ${(error as Error).message}`)
      }
    })
  } finally {
    clearInterval(progress)
  }
  const loginMs = performance.now() - started
  return {
    clients,
    loginMs,
    failedLogins,
    ended: () => ended,
    link (pairs, bytes) {
      const link: Link = { pairs, errors: 0, delivered: () => {}, send: () => {} }
      for (let p = 0; p < pairs; p++) onBody[2 * p + 1] = (body) => { link.delivered(seqOf(body)) }
      link.send = (pair, seq) => {
        clients[2 * pair]!.send(`<message xmlns='jabber:client' to='${options.accounts[2 * pair + 1]!.jid}' type='chat' id='b${seq}'><body>${payload(seq, bytes)}</body></message>`)
      }
      return link
    },
    terminateAll () { for (const c of clients) c.terminate() }
  }
}
