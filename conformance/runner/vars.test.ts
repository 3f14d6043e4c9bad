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

t.test('$uuidVersion matches a UUID of one of the versions listed (GRIDIM-ID-2)', async (t) => {
  const v4 = '0f8fad5b-d9cb-469f-a165-70867728950e'
  const v7 = '01890a5d-ac96-774b-bcce-b302099a8057'
  const v1 = '0f8fad5b-d9cb-169f-a165-70867728950e'
  t.ok(matches({ id: v4 }, { id: { $uuidVersion: [4, 7] } }))
  t.ok(matches({ id: v7 }, { id: { $uuidVersion: [4, 7] } }))
  t.notOk(matches({ id: v1 }, { id: { $uuidVersion: [4, 7] } }))
  t.notOk(matches({ id: 'not-a-uuid' }, { id: { $uuidVersion: [4] } }))
  t.notOk(matches({ id: 7 }, { id: { $uuidVersion: [4] } }))
  t.equal(mismatch({ id: v1 }, { id: { $uuidVersion: [4, 7] } }), `.id: expected a UUID of version 4 or 7, got "${v1}" (version 1)`)
  t.equal(mismatch({ id: 'x' }, { id: { $uuidVersion: [4] } }), '.id: expected a UUID of version 4, got "x"')
  t.equal(mismatch({ id: v4 }, { id: { $uuidVersion: [4] } }), undefined)
  t.throws(() => matches(v4, { $uuidVersion: [] }), /non-empty list/)
  t.throws(() => matches(v4, { $uuidVersion: 'four' }), /non-empty list/)
  t.ok(matches({ $uuidVersion: 1, other: 2 }, { $uuidVersion: 1, other: 2 }), 'with other members it is an ordinary object')
})

t.test('$some and $none look for a matching element among others (GRIDIM-CLI-21)', async (t) => {
  const events = [{ type: 'presence', data: { status: 'online' } }, { type: 'instantMessage', data: { body: 'before' } }]
  t.ok(matches({ events }, { events: { $some: { type: 'instantMessage', data: { body: 'before' } } } }))
  t.notOk(matches({ events }, { events: { $some: { data: { body: 'after' } } } }))
  t.ok(matches({ events }, { events: { $none: { data: { body: 'after' } } } }))
  t.notOk(matches({ events }, { events: { $none: { type: 'presence' } } }))
  t.notOk(matches({ events: 'x' }, { events: { $some: {} } }))
  t.equal(mismatch({ events }, { events: { $some: { type: 'instantMessage' } } }), undefined)
  t.equal(mismatch({ events }, { events: { $none: { type: 'chatState' } } }), undefined)
  t.match(mismatch({ events }, { events: { $some: { data: { body: 'after' } } } }), /^\.events: expected an element matching \{"data":\{"body":"after"\}\}, got \[/)
  t.match(mismatch({ events }, { events: { $none: { type: 'presence' } } }), /expected no element matching/)
  t.equal(mismatch({ events: 3 }, { events: { $some: {} } }), '.events: expected an array, got 3')
  t.match(mismatch({ events: Array.from({ length: 50 }, () => ({ long: 'x'.repeat(20) })) }, { events: { $some: { long: 'y' } } }), /\.\.\.$/)
})

t.test('$distinct: no two elements share the member (GRIDIM-CLI-6)', async (t) => {
  t.ok(matches({ events: [{ id: '1' }, { id: '2' }] }, { events: { $distinct: 'id' } }))
  t.notOk(matches({ events: [{ id: '1' }, { id: '1' }] }, { events: { $distinct: 'id' } }))
  t.notOk(matches({ events: 'x' }, { events: { $distinct: 'id' } }))
  t.equal(mismatch({ events: [{ id: '1' }, 3, { id: '1' }] }, { events: { $distinct: 'id' } }), '.events: two elements share id "1"')
  t.equal(mismatch({ events: [{ id: '1' }, { id: '2' }] }, { events: { $distinct: 'id' } }), undefined)
  t.equal(mismatch({ events: 1 }, { events: { $distinct: 'id' } }), '.events: expected an array, got 1')
  t.throws(() => matches([], { $distinct: 1 }), /name of a member/)
})

t.test('$absent: the member is not there at all (GRIDIM-PRES-5)', async (t) => {
  t.ok(matches({ name: 'G' }, { regions: { $absent: true } }))
  t.notOk(matches({ regions: [] }, { regions: { $absent: true } }), 'an empty list is still there')
  t.notOk(matches({ regions: null }, { regions: { $absent: true } }))
  t.equal(mismatch({ name: 'G' }, { regions: { $absent: true } }), undefined)
  t.equal(mismatch({ regions: [{ regionId: 'r' }] }, { regions: { $absent: true } }), '.regions: expected no such member, got [{"regionId":"r"}]')
  t.throws(() => matches({}, { regions: { $absent: false } }), /\$absent takes true/)
})

t.test('$atLeast matches a number no smaller than its bound (GRIDIM-CLI-43)', async (t) => {
  t.ok(matches({ pings: 3 }, { pings: { $atLeast: 2 } }))
  t.ok(matches({ pings: 2 }, { pings: { $atLeast: 2 } }))
  t.notOk(matches({ pings: 1 }, { pings: { $atLeast: 2 } }))
  t.notOk(matches({ pings: '3' }, { pings: { $atLeast: 2 } }))
  t.equal(mismatch({ pings: 1 }, { pings: { $atLeast: 2 } }), '.pings: expected a number of at least 2, got 1')
  t.equal(mismatch({ pings: 2 }, { pings: { $atLeast: 2 } }), undefined)
  t.throws(() => matches(1, { $atLeast: 'two' }), /\$atLeast takes a number/)
})

t.test('$includes asks for an element matching each listed one, in any order, among others (GRIDIM-XMPP-36)', async (t) => {
  t.ok(matches({ codes: ['100', '110', '210'] }, { codes: { $includes: ['210', '110'] } }))
  t.notOk(matches({ codes: ['110'] }, { codes: { $includes: ['110', '210'] } }))
  t.notOk(matches({}, { codes: { $includes: ['110'] } }))
  t.equal(mismatch({ codes: ['110', '210'] }, { codes: { $includes: ['110', '210'] } }), undefined)
  t.equal(mismatch({ codes: ['110'] }, { codes: { $includes: ['110', '210'] } }), '.codes: expected an element matching "210", got ["110"]')
  t.equal(mismatch({}, { codes: { $includes: ['110'] } }), '.codes: expected an array, got undefined')
  t.throws(() => matches([], { $includes: [] }), /non-empty list/)
})
