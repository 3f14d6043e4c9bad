// The emitted client stream frame schemas stand alone: a plain JSON Schema 2020-12 validator,
// without OpenAPI's vocabulary or the YAML components, compiles each file and tells good frames
// from bad ones.
import { readFileSync } from 'node:fs'
import t from 'tap'
import Ajv2020 from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { bundleFrame, clientStreamSchemas, type FrameName } from './client-stream-schemas.ts'

const file = (name: string): object => JSON.parse(readFileSync(new URL(`../../../openapi/generated/client-stream/${name}.schema.json`, import.meta.url), 'utf8'))

const USER = '6f1c2a52-3d4e-4f60-8a7b-9c0d1e2f3a4b'
const MESSAGE = '0b7e5c1a-2d3f-4a5b-8c6d-7e8f9a0b1c2d'
const event = { id: '1733130000000-1', type: 'instantMessage', at: '2026-12-02T08:00:00Z', data: { messageId: MESSAGE, fromUserId: USER, fromName: 'Ann Example', toUserId: USER, body: 'hi', sentAt: '2026-12-02T08:00:00Z' } }
const problem = { type: 'urn:gridim:problem:unauthenticated', title: 'Unauthenticated', status: 401, code: 'unauthenticated' }

const examples: Record<FrameName, { good: object[], bad: object[] }> = {
  hello: { good: [{ type: 'hello', sessionSecret: 'abc' }, { type: 'hello', sessionSecret: 'abc', after: '17-1' }], bad: [{ type: 'hello' }, { type: 'hello', sessionSecret: 'abc', after: '' }, { type: 'hello', sessionSecret: 'abc', extra: 1 }] },
  'send-instant-message': { good: [{ type: 'sendInstantMessage', ref: 'r1', message: { toUserId: USER, body: 'hi' } }, { type: 'sendInstantMessage', ref: 'r.2', message: { toUserId: USER, body: 'hi', messageId: MESSAGE } }], bad: [{ type: 'sendInstantMessage', ref: 'r 1', message: { toUserId: USER, body: 'hi' } }, { type: 'sendInstantMessage', ref: 'r1', message: { toUserId: 'nope', body: 'hi' } }, { type: 'sendInstantMessage', ref: 'r1', message: { toUserId: USER, body: '' } }] },
  'send-chat-state': { good: [{ type: 'sendChatState', ref: 'c', chatState: { toUserId: USER, state: 'composing' } }], bad: [{ type: 'sendChatState', ref: 'c', chatState: { toUserId: USER, state: 'shouting' } }] },
  ack: { good: [{ type: 'ack', cursor: '17-1' }], bad: [{ type: 'ack' }, { type: 'ack', cursor: 7 }] },
  ready: { good: [{ type: 'ready', userId: USER, keepAliveSeconds: 15 }], bad: [{ type: 'ready', userId: USER, keepAliveSeconds: 0 }, { type: 'ready', userId: 'x', keepAliveSeconds: 15 }] },
  event: { good: [{ type: 'event', event }], bad: [{ type: 'event', event: { ...event, type: 'nonsense' } }, { type: 'event' }] },
  result: { good: [{ type: 'result', ref: 'r1', result: { messageId: MESSAGE, outcome: 'delivered' } }, { type: 'result', ref: 'c' }], bad: [{ type: 'result', ref: 'r1', result: { messageId: MESSAGE, outcome: 'lost' } }] },
  problem: { good: [{ type: 'problem', problem }, { type: 'problem', ref: 'r1', problem: { ...problem, detail: 'why' } }], bad: [{ type: 'problem', problem: { ...problem, code: 'no-such-code' } }, { type: 'problem', ref: 'r1' }] }
}

t.test('every emitted frame schema compiles with plain Ajv 2020 (strict, no OpenAPI vocabulary) and judges the examples', async (t) => {
  const ajv = new Ajv2020.default({ strict: true, allErrors: true })
  addFormats.default(ajv)
  for (const name of Object.keys(clientStreamSchemas()) as FrameName[]) {
    const schema = file(name)
    t.notMatch(JSON.stringify(schema), /"\$ref":"(?!#\/\$defs\/)/, `${name}: every $ref is local`)
    const validate = ajv.compile(schema)
    for (const good of examples[name].good) t.ok(validate(good), `${name} accepts ${JSON.stringify(good)}: ${ajv.errorsText(validate.errors)}`)
    for (const bad of examples[name].bad) t.notOk(validate(bad), `${name} refuses ${JSON.stringify(bad)}`)
  }
})

t.test('bundling refuses what it cannot resolve', async (t) => {
  t.throws(() => bundleFrame({ $ref: '../../components/common.yaml#/components/schemas/Nope' }), /no component schema Nope/)
  t.throws(() => bundleFrame({ $ref: 'https://example.org/x.json' }), /unsupported \$ref/)
  t.same(bundleFrame({ type: 'string', example: 'x' }), { type: 'string' }, 'OpenAPI-only annotations are dropped; no $defs without refs')
  const recursive = bundleFrame({ $ref: '#/components/schemas/Node' }, { Node: { type: 'object', properties: { next: { $ref: '#/components/schemas/Node' } } } })
  t.same(recursive, { $ref: '#/$defs/Node', $defs: { Node: { type: 'object', properties: { next: { $ref: '#/$defs/Node' } } } } }, 'a recursive component is copied once')
})
