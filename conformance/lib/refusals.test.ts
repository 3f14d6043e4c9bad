// A refused signed request is recorded with its code and the signature base the verifier rebuilt
// (issue 14), and a region whose signatures the runner's user server refuses is reported with
// that, not only as "took no lease".
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { PeerClient, signerFor } from '../../reference/lib/http/index.ts'
import { exportPrivateKey, exportPublicKey, generateKeyPair } from '../../reference/lib/signatures/index.ts'
import { startRegionsTarget } from '../target/regions-target.ts'
import { startSimulatedUserServer } from '../target/simulated-user-server.ts'
import { describeRefusals, rebuiltSignatureBase, RefusalLog, refusalOf, type Refusal } from './refusals.ts'

const GRIDIM = resolve(dirname(fileURLToPath(import.meta.url)), '../../tools/bin/gridim.js')

t.test('the runner\'s user server records a forged lease renewal: bad-signature, and the base it verified', async (t) => {
  const us = await startSimulatedUserServer()
  t.teardown(() => us.stop())
  const regionId = randomUUID()
  await us.provisionRegion({ regionId, name: 'Forged', publicKey: exportPublicKey(generateKeyPair().publicKey) })
  const since = Date.now()
  // Signed with a key that is not the one provisioned: well formed, and does not verify (GRIDIM-SEC-5).
  const peer = new PeerClient({ signer: signerFor(regionId, generateKeyPair().privateKey) })
  await t.rejects(peer.callUnchecked(us.url, 'renewRegionLease', { params: { regionId }, body: { url: 'http://127.0.0.1:9', kind: 'region', name: 'Forged' } }), { code: 'bad-signature' })
  const [refusal, ...more] = us.refusals.since(since)
  t.same(more, [])
  t.match(refusal, { by: 'the runner\'s user server', operationId: 'renewRegionLease', method: 'PUT', path: `/regions/${regionId}/lease`, keyId: regionId, status: 401, code: 'bad-signature' })
  t.match(refusal!.signatureBase, new RegExp(`^"@method": PUT\\n"@target-uri": ${us.url}/regions/${regionId}/lease\\n"content-digest": sha-256=:.*\\n"@signature-params": \\("@method" "@target-uri" "content-digest"\\);.*keyid="${regionId}"`))
  t.match(describeRefusals([refusal!, refusal!]), new RegExp(`^the runner's user server refused 2 renewRegionLease \\(PUT /regions/${regionId}/lease, keyid ${regionId}\\) with 401 bad-signature \\(.+\\); signature base it rebuilt:\\n    "@method": PUT\\n`))
  t.same(us.refusals.since(Date.now() + 1000), [], 'nothing later')
})

t.test('a request without a signature has no base; a malformed one says why none could be built', async (t) => {
  t.equal(rebuiltSignatureBase({ method: 'GET', url: 'http://h/x', headers: {} }), undefined)
  t.match(rebuiltSignatureBase({ method: 'GET', url: 'http://h/x', headers: { 'signature-input': 'gridim=("@method"', signature: 'gridim=:AA==:' } }), /^\(none: .+\)$/)
})

t.test('the refusal log keeps the newest, and filters by time and by a predicate', async (t) => {
  const log = new RefusalLog(2)
  const r = (at: number, code: string): Refusal => ({ at, by: 'RX', operationId: 'deliverInstantMessage', method: 'POST', path: '/instant-messages', status: 404, code })
  log.add(r(1, 'a'))
  log.add(r(2, 'b'))
  log.add(r(3, 'c'))
  t.same(log.since(0).map((x) => x.code), ['b', 'c'])
  t.same(log.since(3).map((x) => x.code), ['c'])
  t.same(log.since(0, (x) => x.code === 'b').map((x) => x.code), ['b'])
  t.equal(describeRefusals([{ ...r(1, 'x'), code: undefined }]), 'RX refused 1 deliverInstantMessage (POST /instant-messages) with 404 without a code')
})

t.test('a region that signs with the wrong key: the start fails naming the refusals and the base', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'gridim-refusals-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const wrongKey = join(dir, 'wrong.pem')
  writeFileSync(wrongKey, exportPrivateKey(generateKeyPair().privateKey), { mode: 0o600 })
  await t.rejects(startRegionsTarget({
    name: 'wrong key',
    regions: [{ command: [process.execPath, GRIDIM, 'region', '--user-server', '{userServerUrl}', '--region-id', '{regionId}', '--key-file', wrongKey, '--port', '{port}'] }],
    startTimeoutMs: 12_000
  }), /the runner's user server refused \d+ renewRegionLease \(PUT \/regions\/[-0-9a-f]+\/lease, keyid [-0-9a-f]+\) with 401 bad-signature .*; signature base it rebuilt:\n {4}"@method": PUT\n/)
})

t.test('an answer under 400 is no refusal; one without a problem body or a signature has no code and no base', async (t) => {
  const request = { method: 'post', url: new URL('http://h/instant-messages?x=1'), headers: {} }
  const x = { operationId: 'deliverInstantMessage', method: 'POST', url: 'http://h/instant-messages?x=1', status: 200, at: 5 }
  t.equal(refusalOf('RX', request, x), undefined)
  t.same(refusalOf('RX', request, { ...x, status: 500, responseBody: 'oops' }), { at: 5, by: 'RX', operationId: 'deliverInstantMessage', method: 'POST', path: '/instant-messages?x=1', status: 500 })
  t.same(refusalOf('RX', request, { ...x, status: 404, responseBody: { code: 7, detail: null } }), { at: 5, by: 'RX', operationId: 'deliverInstantMessage', method: 'POST', path: '/instant-messages?x=1', status: 404 })
})
