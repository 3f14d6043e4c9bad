// RFC 7395 at GET /xmpp-websocket: a real client (@xmpp/client over ws) and raw frames.
import t, { type Test } from 'tap'
import Hapi from '@hapi/hapi'
import { request, type IncomingMessage } from 'node:http'
import { Element } from 'ltx'
import { WebSocket } from 'ws'
import { startTestClient } from '../../../tools/xmpp-servers/test-client.ts'
import { DOMAIN, testC2sServer, until } from '../c2s/test-support.ts'
import { OriginPolicy } from '../origin/index.ts'
import { websocketPlugin } from './plugin.ts'

// @xmpp/client's WebSocket transport uses the global WebSocket, which Node 20 lacks.
;(globalThis as Record<string, unknown>).WebSocket ??= WebSocket

async function setup (t: Test) {
  const harness = testC2sServer()
  const server = Hapi.server({ host: '127.0.0.1', port: 0 })
  await server.register({ plugin: websocketPlugin, options: { c2s: harness.c2s } })
  await server.start()
  t.teardown(async () => { harness.c2s.closeAll(); await server.stop({ timeout: 100 }) })
  return { ...harness, url: `ws://127.0.0.1:${server.info.port}/xmpp-websocket` }
}

/** Raw frames in, every frame the server sent out, until it closes or `ms` pass. */
function rawFrames (url: string, frames: string[], protocol: string | null = 'xmpp', ms = 1500): Promise<{ frames: string[], status?: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, protocol === null ? [] : [protocol])
    const out: string[] = []
    const timer = setTimeout(() => { ws.terminate(); resolve({ frames: out }) }, ms)
    ws.on('open', async () => {
      for (const f of frames) { ws.send(f); await new Promise((r) => setTimeout(r, 20)) }
    })
    ws.on('message', (d) => out.push(d.toString()))
    ws.on('unexpected-response', (_req, res) => { clearTimeout(timer); resolve({ frames: out, status: res.statusCode }) })
    ws.on('close', () => { clearTimeout(timer); resolve({ frames: out }) })
    ws.on('error', () => {})
  })
}

const OPEN = `<open xmlns='urn:ietf:params:xml:ns:xmpp-framing' to='${DOMAIN}' version='1.0'/>`
const AUTH = `<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>${Buffer.from('\0ada.lovelace\0ada-pw').toString('base64')}</auth>`

t.test('GRIDIM-XMPP-6: @xmpp/client logs in over WebSocket, exchanges stanzas and closes', async (t) => {
  const { url, recorded } = await setup(t)
  const ada = await startTestClient({ service: url, domain: DOMAIN, username: 'ada.lovelace', password: 'ada-pw', resource: 'ws' })
  t.comment(`WebSocket login in ${ada.loginMs} ms`)
  t.equal(ada.jid, `ada.lovelace@${DOMAIN}/ws`)
  const echoed = ada.next((el) => el.name === 'message' && el.attrs.id === 'w1')
  const sent = Date.now()
  await ada.xmpp.send(new Element('message', { type: 'chat', id: 'w1', to: `charles.babbage@${DOMAIN}` }).c('body').t('echo').up())
  await echoed
  t.comment(`WebSocket message round trip in ${Date.now() - sent} ms`)
  const roster = await ada.xmpp.iqCaller.request(new Element('iq', { type: 'get', id: 'r1' }).c('query', { xmlns: 'jabber:iq:roster' }).up())
  t.equal(roster.getChild('query')?.getChildren('item').length, 1)
  await ada.stop()
  await until('the stream to end', () => recorded.ended.length === 1)
  t.same(recorded.ended, [{ jid: `ada.lovelace@${DOMAIN}/ws` }])
})

t.test('RFC 7395 §3.1: a handshake without the xmpp subprotocol is refused with 400', async (t) => {
  const { url } = await setup(t)
  t.equal((await rawFrames(url, [], null)).status, 400)
  t.equal((await rawFrames(url, [], 'chat')).status, 400)
})

t.test('gateway.yaml openWebSocket: a failed handshake is a 400 problem (413 when it carries a body over 64 KiB)', async (t) => {
  const { url } = await setup(t)
  const http = url.replace('ws:', 'http:')
  const handshake = { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Protocol': 'xmpp' }
  const cases: Array<[string, Record<string, string>, number, string, RegExp]> = [
    ['no upgrade asked', {}, 400, 'invalid-request', /asks for no upgrade/],
    ['an upgrade to another protocol', { ...handshake, Upgrade: 'h2c' }, 400, 'invalid-request', /Upgrade header must be websocket/],
    ['a key that is not 16 bytes of base64', { ...handshake, 'Sec-WebSocket-Key': 'short' }, 400, 'invalid-request', /Sec-WebSocket-Key/],
    ['no key', Object.fromEntries(Object.entries(handshake).filter(([k]) => k !== 'Sec-WebSocket-Key')), 400, 'invalid-request', /Sec-WebSocket-Key/],
    ['another version', { ...handshake, 'Sec-WebSocket-Version': '8' }, 400, 'invalid-request', /Sec-WebSocket-Version/],
    ['GRIDIM-LIM-3: a body over 65,536 bytes', { ...handshake, 'Content-Length': '70000' }, 413, 'body-too-large', /over 65536 bytes/]
  ]
  for (const [name, headers, status, code, detail] of cases) {
    const res = await handshakeAnswer(http, headers)
    t.equal(res.status, status, name)
    t.equal(res.contentType, 'application/problem+json', `${name}: problem details`)
    t.match(JSON.parse(res.body), { code, status, detail }, name)
  }
})

/** The answer to a GET carrying `headers`, read off the socket (no client library second-guessing it). */
function handshakeAnswer (url: string, headers: Record<string, string>): Promise<{ status: number, contentType?: string, body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers })
    const read = (res: IncomingMessage) => {
      let body = ''
      res.on('data', (c: Buffer) => { body += c.toString() })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type']?.split(';')[0], body }))
    }
    req.on('response', read)
    req.on('error', reject)
    req.end()
  })
}

t.test('RFC 7395 §3.4: the server answers <open/> with <open/> and the features', async (t) => {
  const { url } = await setup(t)
  const { frames } = await rawFrames(url, [OPEN], 'xmpp', 300)
  t.match(frames[0], /^<open xmlns="urn:ietf:params:xml:ns:xmpp-framing" from="grid.localhost" id="[0-9a-f]+" version="1.0"\/>$/)
  t.match(frames[1], /^<stream:features xmlns:stream="http:\/\/etherx.jabber.org\/streams">/)
})

t.test('GRIDIM-XMPP-43..45: a hostile frame gets a stream error, then <close/>', async (t) => {
  const { url, recorded } = await setup(t)
  const cases: Array<[string, string]> = [
    ['not-well-formed', '<message><body></message>'],
    ['restricted-xml', '<!DOCTYPE x [<!ENTITY a "b">]><message>&a;</message>'],
    ['policy-violation', `<message><body>${'x'.repeat(70_000)}</body></message>`],
    ['unsupported-stanza-type', '<frobnicate/>']
  ]
  for (const [condition, bad] of cases) {
    const { frames } = await rawFrames(url, [OPEN, AUTH, OPEN, "<iq type='set' id='b' xmlns='jabber:client'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></iq>", bad])
    const error = frames.find((f) => f.startsWith('<stream:error'))
    t.match(error, new RegExp(`<${condition} xmlns="urn:ietf:params:xml:ns:xmpp-streams"/>`), condition)
    t.match(frames.at(-1), /^<close xmlns="urn:ietf:params:xml:ns:xmpp-framing"\/>$/, `${condition}: then <close/>`)
  }
  t.same(recorded.messages, [])
})

t.test('GRIDIM-XMPP-57, RFC 6455 §10.2: a handshake from a page whose origin is refused gets 403; an allowed or absent Origin is let in', async (t) => {
  const harness = testC2sServer()
  const server = Hapi.server({ host: '127.0.0.1', port: 0 })
  await server.register({ plugin: websocketPlugin, options: { c2s: harness.c2s, origins: new OriginPolicy({ loopback: true }) } })
  await server.start()
  t.teardown(async () => { harness.c2s.closeAll(); await server.stop({ timeout: 100 }) })
  const url = `ws://127.0.0.1:${server.info.port}/xmpp-websocket`
  const open = (origin?: string): Promise<number> => new Promise((resolve) => {
    const ws = new WebSocket(url, ['xmpp'], origin === undefined ? {} : { origin })
    ws.on('open', () => { ws.terminate(); resolve(101) })
    ws.on('unexpected-response', (_req, res) => { resolve(res.statusCode ?? 0); ws.terminate() })
    ws.on('error', () => {})
  })
  t.equal(await open('https://elsewhere.example'), 403)
  t.equal(await open('http://localhost:8123'), 101)
  t.equal(await open(), 101)
})
