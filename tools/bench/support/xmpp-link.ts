// The same 1:1 messages through an XMPP server's client-to-server delivery: pair i's sender
// sends a chat message to its recipient's bare JID (RFC 6121 §8.5.2), which the server
// routes to the recipient's stream.
import type { Link } from '../harness/load.ts'
import { payload, seqOf } from './payload.ts'
import { loginC2s, type C2sClient } from './xmpp-c2s-client.ts'

export type XmppAccount = { username: string, password: string }

export async function openXmppLink (server: { port: number, domain: string }, pairs: Array<{ from: XmppAccount, to: XmppAccount }>, size: number): Promise<Link & { close: () => void }> {
  const link = { pairs: pairs.length, errors: 0, delivered: (_seq: number): void => {}, send: (_p: number, _s: number): void => {}, close: (): void => {} }
  const onBody = (body: string): void => { link.delivered(seqOf(body)) }
  const login = (a: XmppAccount): Promise<C2sClient> => loginC2s({ host: '127.0.0.1', port: server.port, domain: server.domain, ...a, onBody })
  const senders: C2sClient[] = []
  const recipients: string[] = []
  for (const { from, to } of pairs) {
    senders.push(await login(from))
    const recipient = await login(to)
    recipients.push(recipient.jid.split('/')[0]!)
    senders.push(recipient)
  }
  link.send = (pair, seq) => {
    senders[pair * 2]!.write(`<message to='${recipients[pair]}' type='chat' id='m${seq}'><body>${payload(seq, size)}</body></message>`)
  }
  link.close = () => { for (const c of senders) c.close() }
  return link
}
