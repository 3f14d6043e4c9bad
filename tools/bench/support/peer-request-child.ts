// Scenario 6's server for "a signed peer request, piece by piece": the same deliverInstantMessage
// answered by four servers of growing weight, in this process alone so that its CPU time is the
// server's and none of the client's (issue 15: hapi's share of a peer request, as a number).
//   bare      node:http: read the body, answer the JSON (the floor of one HTTP request)
//   bareSigned  the same, verifying the signature with the same authenticator first (what a
//             router without hapi would do at least)
//   hapi      a plain hapi route that reads the raw payload as registerOperations does
//   contract  createServer + registerOperations (body limit, problem details, Ajv both ways), no signature
//   signed    the same with the signature authenticator of reference/lib/http/peer-auth.ts
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import Hapi from '@hapi/hapi'
import { createLogger, createServer, registerOperations, signatureAuthenticator } from '../../../reference/lib/http/index.ts'
import { exportPrivateKey, generateKeyPair, NonceCache } from '../../../reference/lib/signatures/index.ts'
import { serveIpc } from '../harness/processes.ts'

const ANSWER = JSON.stringify({ status: 'delivered' })
const { publicKey, privateKey } = generateKeyPair()
const logger = createLogger({ role: 'bench' }, () => {})

const bare: HttpServer = createHttpServer((req, res) => {
  const chunks: Buffer[] = []
  req.on('data', (c: Buffer) => chunks.push(c))
  req.on('end', () => {
    Buffer.concat(chunks)
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(ANSWER) })
    res.end(ANSWER)
  })
})
await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve))

const authenticate = signatureAuthenticator({ resolveKey: async () => publicKey, nonceCache: new NonceCache() })
const bareSigned: HttpServer = createHttpServer((req, res) => {
  const chunks: Buffer[] = []
  req.on('data', (c: Buffer) => chunks.push(c))
  req.on('end', () => {
    const url = `http://${req.headers.host ?? ''}${req.url ?? ''}`
    Promise.resolve(authenticate({ method: req.method ?? '', url, headers: req.headers, body: Buffer.concat(chunks) })).then(() => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(ANSWER) })
      res.end(ANSWER)
    }, () => {
      res.writeHead(401).end()
    })
  })
})
await new Promise<void>((resolve) => bareSigned.listen(0, '127.0.0.1', resolve))

const hapi = Hapi.server({ host: '127.0.0.1', port: 0 })
hapi.route({ method: 'POST', path: '/instant-messages', options: { payload: { parse: false, output: 'data', timeout: false }, handler: () => ({ status: 'delivered' }) } })

const contract = createServer({ logger })
registerOperations(contract, { document: 'region', authenticators: { gridimSignature: () => ({ kind: 'anonymous' }) }, handlers: { deliverInstantMessage: () => ({ body: { status: 'delivered' as const } }) } })

const signed = createServer({ logger })
registerOperations(signed, {
  document: 'region',
  authenticators: { gridimSignature: signatureAuthenticator({ resolveKey: async () => publicKey, nonceCache: new NonceCache() }) },
  handlers: { deliverInstantMessage: () => ({ body: { status: 'delivered' as const } }) }
})
for (const server of [hapi, contract, signed]) await server.start()

const cpuUs = (): number => { const u = process.cpuUsage(); return u.user + u.system }

serveIpc({
  urls: {
    bare: `http://127.0.0.1:${(bare.address() as AddressInfo).port}/instant-messages`,
    bareSigned: `http://127.0.0.1:${(bareSigned.address() as AddressInfo).port}/instant-messages`,
    hapi: `${hapi.info.uri}/instant-messages`,
    contract: `${contract.info.uri}/instant-messages`,
    signed: `${signed.info.uri}/instant-messages`
  },
  // The bench signs as a peer would; the key is this process's own, made for the run.
  privateKey: exportPrivateKey(privateKey)
}, { cpuUs }, async () => {
  for (const server of [hapi, contract, signed]) await server.stop()
  for (const server of [bare, bareSigned]) await new Promise((resolve) => server.close(resolve))
})
