import t from 'tap'
import { parseSse, readSse } from './sse.ts'

t.test('server-sent events parse into id, event and JSON data; comments and empty blocks are ignored', async (t) => {
  const text = ': heartbeat\n\nid: 3\nevent: instantMessage\ndata: {"type":"instantMessage","data":{"body":"two"}}\n\nid: 4\ndata: plain\ndata: text\n\n'
  t.same(parseSse(text), [
    { id: '3', event: 'instantMessage', data: { type: 'instantMessage', data: { body: 'two' } } },
    { id: '4', event: undefined, data: 'plain\ntext' }
  ])
})

t.test('readSse counts comment lines and tells a stream the server closed from one it stopped reading', async (t) => {
  const { createServer } = await import('node:http')
  const server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' })
    res.write(': stream open\n\nid: 1\nevent: presence\ndata: {"id":"1"}\n\n: keep-alive\n\n')
    if (req.url === '/closes') res.end()
    else if (req.url === '/cut') setTimeout(() => { req.socket.destroy() }, 50)
    // '/open' stays open until the reader gives up
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => { server.closeAllConnections(); server.close() })
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`
  const closes = await readSse(`${base}/closes`, {}, { quietMs: 2000, maxMs: 2000 })
  t.match(closes, { status: 200, comments: 2, closed: true, events: [{ id: '1', event: 'presence' }] })
  const cut = await readSse(`${base}/cut`, {}, { quietMs: 2000, maxMs: 2000 })
  t.equal(cut.closed, true, 'a connection the server cuts closes the stream too')
  const open = await readSse(`${base}/open`, {}, { quietMs: 200, maxMs: 1000 })
  t.equal(open.closed, false, 'a stream the reader stopped after going quiet was not closed')
  t.ok(open.longestQuietMs >= 190 && open.longestQuietMs < 900, `and its longest silence was the quiet that ended the read (${open.longestQuietMs} ms)`)
  t.equal(open.events.length, 1)
  const aborted = await readSse(`${base}/open`, {}, { quietMs: 2000, maxMs: 300 })
  t.equal(aborted.closed, false, 'nor one the reader gave up on at maxMs')
})
