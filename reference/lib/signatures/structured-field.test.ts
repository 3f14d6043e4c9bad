import t from 'tap'
import { parseDictionary } from './structured-field-parse.ts'
import { serializeBareItem, serializeDictionary } from './structured-field-serialize.ts'

t.test('RFC 8941 §4.2.2: a dictionary parses and serializes back to its canonical text', async (t) => {
  const table: Array<[string, string]> = [
    ['a=1, b=2', 'a=1, b=2'],
    ['a=1,b=2', 'a=1, b=2'],
    ['  a=1 ,\tb=2  ', 'a=1, b=2'],
    ['sig=("@method" "@target-uri");created=1618884473;keyid="k"', 'sig=("@method" "@target-uri");created=1618884473;keyid="k"'],
    ['a=(  "x"   "y" )', 'a=("x" "y")'],
    ['a=()', 'a=()'],
    ['a, b;x=?0', 'a, b;x=?0'],
    ['a=?1', 'a'],
    ['a=-12, b=1.50, c=0.0', 'a=-12, b=1.5, c=0.0'],
    ['a=tok/en:x, b=*t', 'a=tok/en:x, b=*t'],
    ['a="q\\"uo\\\\te"', 'a="q\\"uo\\\\te"'],
    ['sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:', 'sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:'],
    ['a=1;p;q=2, a=3', 'a=3'],
    ['a=1, b=2, a=3', 'a=3, b=2']
  ]
  for (const [input, canonical] of table) {
    const parsed = parseDictionary(input)
    t.ok(parsed, `parses ${input}`)
    if (parsed !== undefined) t.equal(serializeDictionary(parsed), canonical, input)
  }
})

t.test('RFC 8941 §4.2: garbage is refused with undefined, never an exception', async (t) => {
  const table = [
    'A=1', '1=1', 'a=', 'a=1,', 'a=1,,b=2', 'a=1 b=2', 'a=(', 'a=("x""y")', 'a=("x"', 'a="x', 'a="\\x"',
    'a="\u00e9"', 'a=:not base64!:', 'a=:abc', 'a=?2', 'a=1234567890123456', 'a=1.2345', 'a=1.', 'a=1234567890123.1',
    'a=-', 'a=@1', 'a=%"x"', 'a=1;', 'a=1;B=2', 'a=1 ;b=2', '\u0000', 'a=(x);', 'a=1\n'
  ]
  for (const input of table) t.equal(parseDictionary(input), undefined, JSON.stringify(input))
})

t.test('RFC 8941 §4.2.2: an empty field is an empty dictionary', async (t) => {
  t.equal(parseDictionary('')?.size, 0)
  t.equal(parseDictionary('   ')?.size, 0)
})

t.test('RFC 8941 §4.1: values that have no structured field form are refused when serializing', async (t) => {
  t.throws(() => serializeBareItem({ type: 'integer', value: 1.5 }), TypeError)
  t.throws(() => serializeBareItem({ type: 'integer', value: 1e16 }), TypeError)
  t.throws(() => serializeBareItem({ type: 'string', value: 'é' }), TypeError)
  t.throws(() => serializeBareItem({ type: 'token', value: '1abc' }), TypeError)
  t.throws(() => serializeDictionary(new Map([['Bad', { kind: 'item', value: { type: 'integer', value: 1 }, params: new Map() }]])), TypeError)
  t.equal(serializeBareItem({ type: 'decimal', value: 2 }), '2.0')
  t.equal(serializeBareItem({ type: 'decimal', value: 1.23456 }), '1.235')
  t.equal(serializeBareItem({ type: 'boolean', value: false }), '?0')
  t.equal(serializeBareItem({ type: 'binary', value: Buffer.from('hi') }), ':aGk=:')
})
