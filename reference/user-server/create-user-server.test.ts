// The one test over real sockets: a started user server, a stand-in region on loopback, and
// PeerClients on both sides, so that signing, verification and URLs are exercised for real.
import t from 'tap'
import { createServer as createHttpServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createLogger, PeerClient, signerFor } from '../lib/http/index.ts'
import { exportPublicKey, generateKeyPair, importPublicKey, NonceCache, verifyRequest } from '../lib/signatures/index.ts'
import { openSqliteStore } from '../store/index.ts'
import { createUserServer } from './create-user-server.ts'

type Received = { method: string, url: string, headers: IncomingMessage['headers'], body: string }

async function standInRegion (t: { teardown (fn: () => Promise<void>): void }) {
  const received: Received[] = []
  const server = createHttpServer((req, res) => {
    let body = ''
    req.on('data', (chunk) => { body += chunk })
    req.on('end', () => {
      received.push({ method: req.method!, url: `http://${req.headers.host}${req.url}`, headers: req.headers, body })
      const notices = JSON.parse(body || '{"notices":[]}').notices ?? []
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ accepted: notices.length, notHere: [] }))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received }
}

t.test('over loopback: regions sign to the user server, and its notices to them are signed as user-server', async (t) => {
  const store = openSqliteStore(':memory:')
  const keys = generateKeyPair()
  const us = createUserServer({ store, ...keys, adminToken: 'secret', logger: createLogger() })
  const url = await us.start()
  t.teardown(async () => {
    await us.stop()
    await store.close()
  })
  const admin = new PeerClient()
  const headers = { authorization: 'Bearer secret' }
  const regionKeys = generateKeyPair()
  const standIn = await standInRegion(t)
  const { body: region } = await admin.call(url, 'adminProvisionRegion', { headers, body: { name: 'Loopback', kind: 'region', publicKey: exportPublicKey(regionKeys.publicKey) } })
  const peer = new PeerClient({ signer: signerFor(region.regionId, regionKeys.privateKey) })
  await peer.call(url, 'renewRegionLease', { params: { regionId: region.regionId }, body: { url: standIn.url, kind: 'region', name: 'Loopback' } })

  const users = []
  for (const firstName of ['Ada', 'Bob']) {
    users.push((await admin.call(url, 'adminCreateUser', { headers, body: { firstName, lastName: 'Loop', password: 'pw' } })).body)
  }
  await admin.call(url, 'adminCreateFriendship', { headers, body: { userIds: users.map((u) => u.userId), rights: { ab: 1, ba: 1 } } })
  await peer.call(url, 'signOn', { body: { firstName: 'Bob', lastName: 'Loop', password: 'pw', regionId: region.regionId } })
  us.metrics.reset()
  const ada = await peer.call(url, 'signOn', { body: { firstName: 'Ada', lastName: 'Loop', password: 'pw', regionId: region.regionId } })
  t.equal(ada.status, 201)
  t.same(ada.body.friends.map((f: any) => [f.name, f.online]), [['Bob Loop', true]])
  await us.idle()

  t.same(us.metrics.sent, { deliverNotices: 1 }, 'one request for the sign-on')
  const notice = standIn.received.at(-1)!
  t.equal(notice.url, `${standIn.url}/notices`)
  const directory = (await admin.call(url, 'getDirectory')).body
  const verified = await verifyRequest(
    { method: notice.method, url: notice.url, headers: notice.headers as Record<string, string>, body: notice.body },
    { resolveKey: async (keyId) => keyId === directory.keyId ? importPublicKey(directory.publicKey) : null, nonceCache: new NonceCache() })
  t.equal(verified.keyId, 'user-server')
  t.match(JSON.parse(notice.body).notices, [{ type: 'presence', toUserId: users[1].userId, userId: users[0].userId, status: 'online' }])
})
