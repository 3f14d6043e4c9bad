// The ceiling of the stack: a bare Node HTTP/1.1 keep-alive server that answers each POST with
// its own body. Run as its own process (forkChild), like a region.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { serveIpc } from '../harness/processes.ts'

const server = createServer((req, res) => {
  const chunks: Buffer[] = []
  req.on('data', (c: Buffer) => chunks.push(c))
  req.on('end', () => {
    const body = Buffer.concat(chunks)
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length })
    res.end(body)
  })
})
server.keepAliveTimeout = 60_000
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo
  serveIpc({ url: `http://127.0.0.1:${port}` }, {}, async () => { await new Promise((resolve) => server.close(resolve)) })
})
