import t from 'tap'
import { resolveValue } from './vars.ts'
import { matches, mismatch } from './match.ts'

const scope = { A: { userId: 'u-a', name: 'Ann X' }, last: { messageId: 'm1', nested: { n: 2 } } }

t.test('a whole reference becomes the value, inline references become text', async (t) => {
  t.same(resolveValue({ to: '$A.userId', n: '$last.nested.n', text: 'hi $A.name!', list: ['$last.messageId'], k: 3 }, scope),
    { to: 'u-a', n: 2, text: 'hi Ann X!', list: ['m1'], k: 3 })
  t.same(resolveValue('$last', scope), scope.last)
})

t.test('an unknown reference is an error, not an empty string', async (t) => {
  t.throws(() => resolveValue('$B.userId', scope), /unknown reference \$B.userId/)
  t.throws(() => resolveValue('$A.nope', scope), /unknown reference/)
})

t.test('partial deep match: named members must be equal, extra members are fine', async (t) => {
  t.ok(matches({ a: 1, b: { c: 2, d: 3 } }, { b: { c: 2 } }))
  t.notOk(matches({ a: 1 }, { a: 2 }))
  t.notOk(matches({ a: [1, 2] }, { a: [1] }))
  t.ok(matches({ a: [1, { x: 1, y: 2 }] }, { a: [1, { x: 1 }] }))
  t.notOk(matches(null, { a: 1 }))
  t.equal(mismatch({ a: { b: 1 } }, { a: { b: 2 } }), '.a.b: expected 2, got 1')
  t.equal(mismatch({ a: 1 }, { a: 1 }), undefined)
  t.match(mismatch('x', { a: 1 }), /expected an object/)
})

t.test('XMPP addresses are built from several references inline', async (t) => {
  const xmpp = { A: { jid: 'ann.x@grid.example' }, B: { name: 'Bob Y' }, D: { jid: 'dana@jabber.example' }, GW: { domain: 'grid.example' }, gs: { groupSessionId: 'g-1' } }
  t.same(resolveValue({ from: '$A.jid/grid', room: '$gs.groupSessionId@$GW.domain', occupant: '$gs.groupSessionId@$GW.domain/$B.name', self: '$gs.groupSessionId@$GW.domain/$D.jid' }, xmpp),
    { from: 'ann.x@grid.example/grid', room: 'g-1@grid.example', occupant: 'g-1@grid.example/Bob Y', self: 'g-1@grid.example/dana@jabber.example' })
})
