// How an actor learns that its stream ended — by the server, with or without a stream error,
// or by its own close — and writes raw text where its transport lets it, on a stand-in
// connection (the real transports are exercised by the XMPP flows).
import t from 'tap'
import type { StreamEnd, XmppConnection } from './connection.ts'
import { XmppActor, type StanzaRecord } from './xmpp-actor.ts'

function standIn (raw = true): { connection: XmppConnection, end: (how: StreamEnd) => void, written: string[] } {
  const ends: Array<(how: StreamEnd) => void> = []
  const written: string[] = []
  const end = (how: StreamEnd): void => { for (const listener of ends) listener(how) }
  const connection: XmppConnection = {
    jid: 'erin.example@grid.localhost/app',
    send: async () => {},
    iq: async (el) => el,
    onStanza: () => {},
    close: async () => { end({}) },
    onEnd: (listener) => { ends.push(listener) },
    ...(raw ? { sendRaw: async (xml: string) => { written.push(xml) } } : {})
  }
  return { connection, end, written }
}

function actorOn (connection: XmppConnection, records: StanzaRecord[] = []): XmppActor {
  let seq = 0
  return new XmppActor({ name: 'E', connection, nextSeq: () => seq++, judged: () => true, onRecord: (r) => records.push(r) })
}

t.test('a stream error from the server is kept, with its place in the order and who ended it', async (t) => {
  const { connection, end } = standIn()
  const actor = actorOn(connection)
  t.equal(actor.ended, undefined)
  const waited = actor.waitFor(() => actor.ended?.streamError, 1000, () => 'no end')
  end({ streamError: 'conflict', terminate: 'remote-stream-error' })
  t.equal(await waited, 'conflict', 'a waiter wakes when the stream ends')
  t.match(actor.ended, { streamError: 'conflict', terminate: 'remote-stream-error', seq: 0, byClient: false })
})

t.test("the client's own close is an end by the client", async (t) => {
  const { connection } = standIn()
  const actor = actorOn(connection)
  await actor.close()
  t.match(actor.ended, { byClient: true })
  t.equal(actor.ended?.streamError, undefined)
})

t.test('raw text is written and recorded as sent on purpose, where the transport allows it', async (t) => {
  const records: StanzaRecord[] = []
  const { connection, written } = standIn()
  await actorOn(connection, records).sendRaw('<message><body>x<!-- c --></body></message>')
  t.same(written, ['<message><body>x<!-- c --></body></message>'])
  t.match(records[0], { direction: 'sent', deliberate: true, xml: '<message><body>x<!-- c --></body></message>' })
  const bosh = actorOn(standIn(false).connection)
  await t.rejects(bosh.sendRaw('<x/>'), /E's transport cannot write raw XML: use transport websocket/)
})

t.test('a connection that reports no end leaves the actor open', async (t) => {
  const { connection } = standIn()
  delete (connection as { onEnd?: unknown }).onEnd
  const actor = actorOn(connection)
  await actor.close()
  t.equal(actor.ended, undefined, 'nothing is reported, not even its own close')
})
