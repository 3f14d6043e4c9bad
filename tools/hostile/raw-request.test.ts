// Raw requests report every kind of answer, silence and resets included, and never throw.
import t from 'tap'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { closeConnections, sendRaw } from './raw-request.ts'

t.test('a raw request reports answers, event streams, upgrades, resets and silence', async (t) => {
  const server = createServer((req, res) => {
    if (req.url === '/reset') { req.socket.destroy(); return }
    if (req.url === '/silent') return
    if (req.url === '/stream') { res.writeHead(200, { 'content-type': 'text/event-stream' }); res.write(': open\n\n'); return }
    let size = 0
    req.on('data', (c: Buffer) => { size += c.length })
    req.on('end', () => { res.writeHead(418, { 'content-type': 'text/plain' }); res.end(`${req.method} ${req.headers.host} ${size}`) })
  })
  server.on('upgrade', (_req, socket) => { socket.end('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n') })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => { closeConnections(); server.closeAllConnections(); server.close() })
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  const answer = await sendRaw({ method: 'GET', url: `${base}/echo`, headers: { host: 'evil.example:1' }, body: 'x'.repeat(10) })
  t.match(answer, { status: 418 }, 'a GET with a body and a foreign Host is sent as given')
  t.equal('body' in answer && answer.body.toString(), 'GET evil.example:1 10')
  t.match(await sendRaw({ method: 'GET', url: `${base}/stream` }), { status: 200 }, 'an event stream answers with its status')
  t.match(await sendRaw({ method: 'GET', url: `${base}/ws`, headers: { connection: 'Upgrade', upgrade: 'websocket' } }), { status: 101 }, 'an upgrade answers 101')
  t.match(await sendRaw({ method: 'GET', url: `${base}/reset` }), { status: 0, failure: /socket hang up|ECONNRESET/ }, 'a reset is reported')
  t.match(await sendRaw({ method: 'GET', url: `${base}/silent` }, 200), { status: 0, failure: /no answer within 200 ms/ }, 'silence is reported')
})
