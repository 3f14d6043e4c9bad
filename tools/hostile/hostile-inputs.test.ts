// The generated inputs: valid requests that the contract accepts, spoiled ones that it does
// not, the same for the same seed.
import t from 'tap'
import { isUtf8 } from 'node:buffer'
import { allOperations } from '../../reference/lib/contract/operations.ts'
import { boshSessionRequest, hostileBoshInputs, MAX_BOSH_BYTES } from './bosh-inputs.ts'
import { hostileInputs, MAX_BODY_BYTES } from './hostile-inputs.ts'
import { replaceAt, sitesOf } from './json-mutations.ts'
import { schemasOf } from './operation-schemas.ts'
import { validInput } from './valid-input.ts'

const ops = allOperations()
const IDS = { userId: '7a2b3c4d-5e6f-4a7b-9c8d-0e1f2a3b4c5d' }

t.test('a generated valid request is valid, and takes the ids it is given', async (t) => {
  for (const id of ['signOn', 'setFriendRights', 'deliverNotices', 'clientStartGroupSession', 'adminUpdateSettings']) {
    const op = ops.get(id)!
    const valid = validInput(op, schemasOf(op), IDS, 7)
    t.ok(op.requestBody!(valid.body), `${id}: its body matches the contract`)
    for (const p of op.params.path) t.ok(p.validate(valid.path[p.name]), `${id}: {${p.name}} matches the contract`)
  }
  t.equal(validInput(ops.get('listFriends')!, schemasOf(ops.get('listFriends')!), IDS, 7).path.userId, IDS.userId)
  t.same(validInput(ops.get('openWebSocket')!, schemasOf(ops.get('openWebSocket')!), {}, 7).headers.Upgrade, 'websocket', 'a header takes the contract\'s example')
})

t.test('every spoiled JSON body breaks the contract, and the same seed spoils alike', async (t) => {
  for (const id of ['signOn', 'setFriendRights', 'storeOfflineMessage', 'clientSendInstantMessage', 'adminCreateUser', 'acceptAgent']) {
    const op = ops.get(id)!
    const schemas = schemasOf(op)
    const valid = validInput(op, schemas, IDS, 11)
    const inputs = hostileInputs(op, schemas, valid, 11, 40)
    t.equal(inputs.length, 40)
    for (const input of inputs) {
      if (input.kind.includes('invalid UTF-8')) { t.notOk(isUtf8(input.body!), `${id}: ${input.kind}`); continue }
      // No body, not JSON, or over the size limit: invalid whatever the schema says.
      if (!input.kind.startsWith('body:') || input.body === undefined || input.body.length > MAX_BODY_BYTES) continue
      let parsed: unknown
      try { parsed = JSON.parse(input.body.toString('utf8')) } catch { continue }
      t.notOk(op.requestBody!(parsed), `${id}: ${input.kind}`)
    }
    t.same(hostileInputs(op, schemas, valid, 11, 40).map((i) => i.kind), inputs.map((i) => i.kind), `${id}: replays from its seed`)
  }
})

t.test('a spoiled parameter breaks the contract', async (t) => {
  const op = ops.get('locateUser')!
  const schemas = schemasOf(op)
  const inputs = hostileInputs(op, schemas, validInput(op, schemas, IDS, 3), 3, 60)
  const formed = inputs.filter((i) => /^path \{userId\}: not its form/.test(i.kind))
  t.ok(formed.length > 0)
  for (const input of formed) t.notOk(op.params.path[0]!.validate(decodeURIComponent(input.path.userId!)), input.kind)
  t.ok(inputs.some((i) => i.kind.startsWith('query for:')), 'its query parameter is spoiled too')
})

t.test('invalid BOSH requests start from the contract\'s example', async (t) => {
  t.match(boshSessionRequest('grid.localhost'), /to='grid\.localhost'/)
  const inputs = hostileBoshInputs('grid.localhost', 5, 60)
  t.equal(inputs.length, 60)
  t.ok(inputs.some((i) => i.body!.length > MAX_BOSH_BYTES), 'some are over the size limit')
  t.ok(inputs.every((i) => i.body !== undefined && i.body.length > 0))
})

t.test('sites and replacement follow the schema and leave the original alone', async (t) => {
  const schema = { type: 'object', properties: { a: { $ref: '#/$defs/A' }, list: { type: 'array', items: { type: 'integer' } } }, $defs: { A: { type: 'string', maxLength: 3 } } }
  const value = { a: 'xy', list: [1, 2] }
  const sites = sitesOf(schema, value, schema)
  t.same(sites.map((s) => s.pointer.join('/')), ['', 'a', 'list', 'list/0', 'list/1'])
  t.equal(sites[1]!.schema.maxLength, 3, 'a $ref is followed')
  t.same(replaceAt(value, ['list', '1'], 'x'), { a: 'xy', list: [1, 'x'] })
  t.same(replaceAt(value, ['a'], undefined), { list: [1, 2] })
  t.same(value, { a: 'xy', list: [1, 2] })
})
