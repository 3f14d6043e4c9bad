import t from 'tap'
import { bodyBytes, bodyIsEmpty, fieldValue } from './http-message.ts'

t.test('RFC 9421 §2.1: a field value joins every line of that name, any case, trimmed, with ", "', async (t) => {
  const fields = { 'Cache-Control': ' max-age=60 ', 'cache-control': ['must-revalidate', '  no-cache'], 'X-Cache-Controls': 'no', age: 5 }
  t.equal(fieldValue(fields, 'cache-control'), 'max-age=60, must-revalidate, no-cache')
  t.equal(fieldValue(fields, 'age'), '5', 'a number is its decimal text')
  t.equal(fieldValue({ date: ' x ' }, 'date'), 'x', 'one line is trimmed too')
  t.equal(fieldValue({ date: undefined, Date: 'y' }, 'date'), 'y', 'an undefined line is no line')
  t.equal(fieldValue({ date: [] }, 'date'), undefined, 'no lines is no field')
  t.equal(fieldValue({ dates: 'x' }, 'date'), undefined)
  const inherited = Object.create({ date: 'from the prototype' }) as Record<string, string>
  t.equal(fieldValue(inherited, 'date'), undefined, 'only own fields count')
})

t.test('a body is empty when absent or of no bytes; its bytes are a view, not a copy', async (t) => {
  t.ok(bodyIsEmpty(undefined))
  t.ok(bodyIsEmpty(''))
  t.ok(bodyIsEmpty(new Uint8Array(0)))
  t.notOk(bodyIsEmpty('a'))
  t.equal(bodyBytes(undefined).length, 0)
  t.equal(bodyBytes('é').length, 2)
  const backing = Buffer.from('abcd')
  t.equal(bodyBytes(backing.subarray(1, 3)).toString(), 'bc')
})
