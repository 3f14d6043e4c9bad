// Validators kept between processes: the code Ajv generated, loaded, judges as the compiled one
// did; a missing or broken file is compiled again.
import { randomBytes } from 'node:crypto'
import { existsSync, rmSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import t from 'tap'
import { createAjv } from './ajv.ts'
import { cachedSelfContained, cachedValidator, validatorFile } from './validator-cache.ts'

const ID = 'urn:gridim:test:validator-cache'
/** Definitions of this run only: a folder of its own, removed at the end. */
const definitions = {
  $id: ID,
  $defs: {
    Message: {
      type: 'object',
      required: ['messageId', 'sentAt', 'body'],
      additionalProperties: false,
      properties: {
        messageId: { type: 'string', format: 'uuid' },
        sentAt: { type: 'string', format: 'date-time' },
        body: { type: 'string', minLength: 1, maxLength: 4 },
        nonce: { type: 'string', example: 'abc' }
      }
    }
  },
  $comment: randomBytes(8).toString('hex')
}
const json = JSON.stringify(definitions)
const schema = { type: 'array', items: { $ref: `${ID}#/$defs/Message` } }

let compiled = 0
const ajv = (): ReturnType<typeof createAjv> => {
  compiled++
  const instance = createAjv({ standalone: true })
  instance.addSchema(definitions)
  return instance
}

t.teardown(() => { rmSync(dirname(validatorFile(json, schema)), { recursive: true, force: true }) })

const samples: Array<[string, unknown]> = [
  ['valid', [{ messageId: '0190a7a0-0000-7000-8000-000000000001', sentAt: '2026-12-03T06:00:00Z', body: 'hi' }]],
  ['not a uuid', [{ messageId: 'nope', sentAt: '2026-12-03T06:00:00Z', body: 'hi' }]],
  ['not a date-time', [{ messageId: '0190a7a0-0000-7000-8000-000000000001', sentAt: 'yesterday', body: 'hi' }]],
  ['too long, too short, unknown property (every error)', [{ messageId: '0190a7a0-0000-7000-8000-000000000001', sentAt: '2026-12-03T06:00:00Z', body: 'hello', x: 1 }, { body: '' }]],
  ['not an array', { body: 'hi' }]
]

t.test('compiled once, then loaded: the same verdicts and errors', async (t) => {
  const first = cachedValidator(json, schema, ajv)
  t.equal(compiled, 1, 'the first use compiles')
  t.ok(existsSync(validatorFile(json, schema)), 'and keeps the code')
  const again = cachedValidator(json, schema, ajv)
  t.equal(compiled, 1, 'a later use loads it')
  t.not(again, first)
  t.same(again.schema, schema, 'the loaded one carries its schema, as a compiled one does')
  for (const [name, data] of samples) {
    t.equal(again(data), first(data), `${name}: the same verdict`)
    t.same(again.errors, first.errors, `${name}: the same errors`)
  }
  t.equal(first(samples[0]![1]), true)
  t.equal(first(samples[3]![1]), false)
  t.ok((first.errors ?? []).length >= 4, 'every error, not the first only')
})

t.test('a broken file is compiled again and replaced', async (t) => {
  writeFileSync(validatorFile(json, schema), 'this is not JavaScript {')
  const before = compiled
  const validate = cachedValidator(json, schema, ajv)
  t.equal(compiled, before + 1)
  t.equal(validate(samples[1]![1]), false)
  cachedValidator(json, schema, ajv)
  t.equal(compiled, before + 1, 'the replaced file loads')
})

t.test('another schema, or other definitions, is another file', async (t) => {
  t.not(validatorFile(json, schema), validatorFile(json, { ...schema, minItems: 1 }))
  t.not(dirname(validatorFile(json, schema)), dirname(validatorFile(`${json} `, schema)))
  rmSync(dirname(validatorFile(`${json} `, schema)), { recursive: true, force: true })
})

t.test('a self-contained schema (TypeBox): kept too, and compiled again without clashing ids', async (t) => {
  const { Type } = await import('@sinclair/typebox')
  const Frame = Type.Object({ type: Type.Literal('ping'), ref: Type.String({ minLength: 1 }) }, { $id: `urn:gridim:test:frame:${randomBytes(6).toString('hex')}`, additionalProperties: false })
  const file = validatorFile(JSON.stringify(Frame), JSON.parse(JSON.stringify(Frame)))
  t.teardown(() => { rmSync(dirname(file), { recursive: true, force: true }) })
  const first = cachedSelfContained(Frame)
  t.ok(existsSync(file), 'kept under the schema without its symbols, in a folder of its own')
  // Lost meanwhile (another process pruned it): compiled again, though the $id was compiled here before.
  rmSync(file)
  const again = cachedSelfContained(Frame)
  t.equal(again({ type: 'ping', ref: 'a' }), true)
  t.equal(first({ type: 'pong', ref: 'a' }), false)
  t.equal(again({ type: 'ping', ref: '', x: 1 }), false)
  t.equal(again.errors?.length, 2, 'every error')
  t.ok(existsSync(file), 'kept again')
  writeFileSync(file, 'module.exports.default = () => false')
  t.equal(cachedSelfContained(Frame)({ type: 'ping', ref: 'b' }), false, 'a later use loads the kept file (here, one that refuses everything)')
})
