// A region with an id of its own: the runner learns it from the region's first lease request,
// only when that request is signed with the region's key and names the same id in path and keyid.
import t from 'tap'
import { generateKeyPair, signRequest } from '../../reference/lib/signatures/index.ts'
import { claimedRegionId, learnFrom, signedWith, type Unidentified } from './learn-region-id.ts'

const own = generateKeyPair()
const other = generateKeyPair()
const US = 'http://127.0.0.1:9/regions'

function lease (regionId: string, keyId = regionId, privateKey = own.privateKey, method = 'PUT', path = `${US}/${regionId}/lease`) {
  const body = JSON.stringify({ url: 'http://127.0.0.1:8101', kind: 'region', name: 'Mine' })
  const headers = signRequest({ method, url: path, headers: { 'content-type': 'application/json' }, body }, { keyId, privateKey })
  return { method, url: path, headers }
}

t.test('a lease request claims the id its path and keyid both name', async (t) => {
  t.equal(claimedRegionId(lease('r-1')), 'r-1')
  t.equal(claimedRegionId(lease('r-1', 'r-2')), undefined, 'keyid and path disagree')
  t.equal(claimedRegionId(lease('r-1', 'r-1', own.privateKey, 'GET')), undefined, 'not a PUT')
  t.equal(claimedRegionId(lease('r-1', 'r-1', own.privateKey, 'PUT', 'http://127.0.0.1:9/regions/r-1/status')), undefined, 'not the lease')
  t.equal(claimedRegionId({ method: 'PUT', url: `${US}/r-1/lease`, headers: {} }), undefined, 'unsigned')
  t.equal(claimedRegionId(lease('a b', 'a b', own.privateKey, 'PUT', `${US}/a%20b/lease`)), 'a b', 'the path segment is decoded')
})

t.test('signedWith verifies the signature with the given key only', async (t) => {
  t.ok(signedWith(lease('r-1'), own.publicKey))
  t.notOk(signedWith(lease('r-1'), other.publicKey), 'another key')
  t.notOk(signedWith({ method: 'PUT', url: `${US}/r-1/lease`, headers: { 'signature-input': 'gridim=(', signature: 'x' } }, own.publicKey), 'malformed fields')
})

t.test('learnFrom provisions the waiting region whose key signed the request, once', async (t) => {
  const learned: string[] = []
  const mine: Unidentified = { key: own.publicKey, learn: async (id) => { learned.push(id) } }
  const theirs: Unidentified = { key: other.publicKey, learn: async (id) => { learned.push(`other ${id}`) } }
  const waiting = new Set([theirs, mine])
  const known = new Set(['taken'])
  const isKnown = (id: string): boolean => known.has(id)

  t.notOk(await learnFrom(lease('taken'), waiting, isKnown), 'an id already in the directory is judged by the user server')
  t.notOk(await learnFrom(lease('taken'), waiting, async (id) => known.has(id)), 'the directory may answer asynchronously (the store does)')
  t.notOk(await learnFrom(lease('r-9', 'r-9', generateKeyPair().privateKey), waiting, isKnown), 'a stranger\'s key claims nothing')
  t.notOk(await learnFrom({ method: 'PUT', url: `${US}/r-9/lease`, headers: {} }, waiting, isKnown), 'an unsigned request claims nothing')
  t.ok(await learnFrom(lease('r-1'), waiting, isKnown))
  t.same(learned, ['r-1'])
  t.same([...waiting], [theirs], 'learned once; the other region still waits')
  t.notOk(await learnFrom(lease('r-2'), waiting, isKnown), 'a second claim with the same key is not a new region')
  t.notOk(await learnFrom(lease('r-3', 'r-3', other.privateKey), new Set(), isKnown), 'nothing waits')
})

t.test('the runner assigns an id only to a region it can tell it; the others it learns', async (t) => {
  const { canBeToldId } = await import('./regions-target.ts')
  t.ok(canBeToldId({ command: 'my-region --region-id {regionId} --key-file {keyFile}' }), 'a command with {regionId}')
  t.notOk(canBeToldId({ command: ['my-region', '--key-file', '{keyFile}'] }), 'a command without it')
  t.ok(canBeToldId({}), 'started by hand with the key the runner makes: told by the printed line')
  t.notOk(canBeToldId({ publicKey: 'k' }), 'started by hand with a key of its own: its own id too')
})
