// replay-later: the identical signed request sent again, REPLAY_LATER_SECONDS after the first
// (GRIDIM-SEC-5: a receiver remembers a nonce for the whole replay window, not for a second).
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import { allOperations } from '../../reference/lib/contract/operations.ts'
import { generateKeyPair } from '../../reference/lib/signatures/index.ts'
import { peerCall, REPLAY_LATER_SECONDS } from './peer-call.ts'

t.test('replay-later sends the same signed request twice, the second REPLAY_LATER_SECONDS later; the answer is the second\'s', async (t) => {
  const seen: Array<{ at: number, headers: IncomingHttpHeaders }> = []
  const server = createServer((req, res) => {
    seen.push({ at: Date.now(), headers: req.headers })
    res.writeHead(seen.length === 1 ? 200 : 401, { 'content-type': 'application/json' }).end(JSON.stringify({ n: seen.length }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())))
  const { port } = server.address() as AddressInfo
  const op = allOperations().get('getRegion')!
  const { privateKey } = generateKeyPair()
  const answer = await peerCall(`http://127.0.0.1:${port}`, op, { params: { regionId: 'r1' }, query: {}, headers: {} },
    { regionId: 'rx', privateKey, nextPrivateKey: privateKey }, 'replay-later')
  t.equal(seen.length, 2)
  t.same(answer.body, { n: 2 })
  t.equal(seen[1].headers['signature-input'], seen[0].headers['signature-input'], 'the same nonce and created')
  t.equal(seen[1].headers.signature, seen[0].headers.signature)
  t.ok(seen[1].at - seen[0].at >= REPLAY_LATER_SECONDS * 1000 - 50, `${seen[1].at - seen[0].at} ms apart`)
})
