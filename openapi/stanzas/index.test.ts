import t from 'tap'
import { Value } from '@sinclair/typebox/value'
import { createAjv } from '../../reference/lib/contract/ajv.ts'
import { BareJid, Body, FullJid, iqSchemas, Jid, stanzaSchemas } from './index.ts'

t.test('every stanza and iq schema has the $id urn:gridim:stanza:<its name>', async (t) => {
  for (const [name, schema] of Object.entries({ ...stanzaSchemas, ...iqSchemas })) t.equal(schema.$id, `urn:gridim:stanza:${name}`)
})

t.test("every iq schema's kind is its name in camelCase, and no iq shares a name with a stanza", async (t) => {
  for (const [name, schema] of Object.entries(iqSchemas)) {
    t.equal(schema.properties.kind.const, name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()), name)
    t.notOk(Object.hasOwn(stanzaSchemas, name), `${name} is not also a stanza schema`)
  }
})

t.test("every stanza's kind is its name in camelCase, and no two stanzas share a kind", async (t) => {
  const kinds = new Set<unknown>()
  for (const [name, schema] of Object.entries(stanzaSchemas)) {
    if (!('kind' in schema.properties)) continue
    const kind = schema.properties.kind.const
    t.equal(kind, name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()), name)
    kinds.add(kind)
  }
  t.equal(kinds.size, Object.keys(stanzaSchemas).length - 1, 'all kinds distinct; stanza-error has none')
})

t.test('every stanza schema compiles in strict JSON Schema 2020-12 and refuses unknown members', async (t) => {
  const ajv = createAjv()
  for (const [name, schema] of Object.entries({ ...stanzaSchemas, ...iqSchemas })) {
    const validate = ajv.compile(JSON.parse(JSON.stringify(schema)))
    t.notOk(validate({ unexpected: true }), `${name} refuses an unknown member`)
  }
})

t.test('Jid accepts RFC 7622 addresses and refuses malformed ones', async (t) => {
  const good = ['example.com', 'juliet@example.com', 'juliet@example.com/foo', 'juliet@example.com/foo bar', 'juliet@example.com/foo@bar',
    'foo\\20bar@example.com', 'fussball@example.com', 'π@example.com', 'juliet@[::1]/r', 'room@conference.example/Romeo Montague', 'a/b@c']
  const bad = ['', '@example.com', 'juliet@', 'juliet@example.com/', 'jul iet@example.com', 'juliet@exa mple.com', 'a@b@c.example',
    '"juliet"@example.com', 'juliet@example.com/\u0007', 'jul:iet@example.com', `${'a'.repeat(1024)}@example.com`]
  for (const jid of good) t.ok(Value.Check(Jid, jid), `accepts ${jid}`)
  for (const jid of bad) t.notOk(Value.Check(Jid, jid), `refuses ${JSON.stringify(jid.slice(0, 40))}`)
})

t.test('BareJid refuses a resource and FullJid requires one (RFC 6120 §1.4)', async (t) => {
  t.ok(Value.Check(BareJid, 'room@conference.example'))
  t.notOk(Value.Check(BareJid, 'room@conference.example/nick'))
  t.ok(Value.Check(FullJid, 'room@conference.example/nick'))
  t.notOk(Value.Check(FullJid, 'room@conference.example'))
})

t.test('a body is 1 to 1023 characters (GridIM IM body)', async (t) => {
  t.notOk(Value.Check(Body, ''))
  t.ok(Value.Check(Body, 'x'.repeat(1023)))
  t.notOk(Value.Check(Body, 'x'.repeat(1024)))
})
