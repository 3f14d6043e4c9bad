// The post-bosh-body probe: the bodies it sends, how it reads what comes back, and the two
// requests of rid-outside-window, against a loopback server that records them.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import { boshBody, probeBosh, readAnswer } from './bosh-probe.ts'

const DOMAIN = 'grid.localhost'

t.test('a terminate body is read for its type, condition, sid and the stream error it carries', async (t) => {
  t.same(readAnswer(`<body xmlns='http://jabber.org/protocol/httpbind' type='terminate' condition='item-not-found'/>`), { type: 'terminate', condition: 'item-not-found' })
  t.same(readAnswer(`<body type="terminate" condition="remote-stream-error" xmlns:stream="http://etherx.jabber.org/streams"><stream:error><restricted-xml xmlns="urn:ietf:params:xml:ns:xmpp-streams"/></stream:error></body>`),
    { type: 'terminate', condition: 'remote-stream-error', streamError: 'restricted-xml' })
  t.same(readAnswer(`<body sid='s1' wait='1'/>`), { type: undefined, condition: undefined, sid: 's1' })
  t.same(readAnswer(''), { type: undefined, condition: undefined })
})

t.test('each spoilt body breaks XEP-0124 or RFC 6120 the way its name says', async (t) => {
  t.ok(boshBody('oversized', DOMAIN).length > 131_072)
  t.ok(boshBody('invalid-utf8', DOMAIN).includes(0xff))
  const unknown = boshBody('unknown-sid', DOMAIN).toString()
  t.match(unknown, /^<body xmlns='http:\/\/jabber.org\/protocol\/httpbind' rid='[0-9]+' sid='[0-9a-f]{32}'\/>$/)
  t.notMatch(boshBody('no-rid', DOMAIN).toString(), /rid=/)
  const restricted = boshBody('restricted-xml', DOMAIN).toString()
  t.match(restricted, /^<!DOCTYPE body \[<!ENTITY who "grid.localhost">\]><body [^>]*to='&who;'/)
})

type Seen = { bodies: string[], server: Server, url: string }

async function gateway (answers: string[]): Promise<Seen> {
  const bodies: string[] = []
  const server = createServer((req, res) => {
    let text = ''
    req.on('data', (c: Buffer) => { text += c.toString() })
    req.on('end', () => { bodies.push(text); res.end(answers[bodies.length - 1] ?? '') })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { bodies, server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }
}

t.test('rid-outside-window makes a session, then sends a rid a million past it', async (t) => {
  const seen = await gateway([`<body sid='abc' requests='2'/>`, `<body type='terminate' condition='item-not-found'/>`])
  t.teardown(() => { seen.server.close() })
  const answer = await probeBosh(seen.url, 'rid-outside-window', DOMAIN)
  t.same(answer, { status: 200, body: { type: 'terminate', condition: 'item-not-found' } })
  t.equal(seen.bodies.length, 2)
  const first = Number(/rid='([0-9]+)'/.exec(seen.bodies[0]!)?.[1])
  const second = Number(/rid='([0-9]+)'/.exec(seen.bodies[1]!)?.[1])
  t.equal(second - first, 1_000_000)
  t.match(seen.bodies[1], /sid='abc'/)
})

t.test('a session request answered without a sid is the result itself: nothing more is sent', async (t) => {
  const seen = await gateway([`<body type='terminate' condition='host-unknown'/>`])
  t.teardown(() => { seen.server.close() })
  t.same(await probeBosh(seen.url, 'rid-outside-window', DOMAIN), { status: 200, body: { type: 'terminate', condition: 'host-unknown' } })
  t.equal(seen.bodies.length, 1)
})
