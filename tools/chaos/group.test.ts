// The group books: who must read a group message (members present from before its send until
// the grace after its answer), what counts as lost, as a raw repeat, and as misdelivered.
import t from 'tap'
import { GroupLedger } from './group.ts'

t.test('a member present throughout must read a sent message; one who joined late or left early need not', async (t) => {
  const ledger = new GroupLedger({ graceMs: 100 })
  ledger.joined('a', 0)
  ledger.joined('b', 0)
  ledger.joined('late', 1500)
  ledger.joined('early', 0)
  ledger.left('early', 1050) // within the grace after the answer at 1000
  ledger.began('m1', 'a', 1000)
  ledger.attempted('m1')
  ledger.settled('m1', 1000)
  t.same(ledger.expectedReaders(ledger.get('m1')!).sort(), ['a', 'b'])
  ledger.read('a', 'm1')
  ledger.read('late', 'm1')
  t.equal(ledger.unread(), 1, 'b has not read it')
  t.match(ledger.counts(), { sent: 1, expected: 2, read: 1, lost: 1, lostMessages: 1, readBeyondExpected: 1, duplicated: 0 })
  t.same(ledger.lostMessages().map((l) => l.missing), [['b']])
  ledger.read('b', 'm1')
  ledger.read('b', 'm1')
  t.match(ledger.counts(), { read: 2, lost: 0, duplicated: 1 }, 'a repeat is counted raw, read once')
})

t.test('a member who left and rejoined is expected only inside an interval', async (t) => {
  const ledger = new GroupLedger({ graceMs: 0 })
  ledger.joined('a', 0)
  ledger.left('a', 100)
  ledger.joined('a', 300)
  for (const [id, at] of [['during-gap', 200], ['after', 400]] as const) {
    ledger.began(id, 'x', at)
    ledger.settled(id, at)
  }
  t.same(ledger.expectedReaders(ledger.get('during-gap')!), [])
  t.same(ledger.expectedReaders(ledger.get('after')!), ['a'])
  t.ok(ledger.isMember('a'))
})

t.test('a message without an answer is owed to nobody; unknown ids and non-members are misdelivered', async (t) => {
  const ledger = new GroupLedger({ graceMs: 0 })
  ledger.joined('a', 0)
  ledger.began('m', 'a', 10)
  ledger.failed('m', 'replayed-request')
  t.same(ledger.expectedReaders(ledger.get('m')!), [])
  ledger.read('a', 'nobody-sent-this')
  ledger.read('stranger', 'm')
  t.match(ledger.counts(), { sent: 0, errors: 1, errorCodes: { 'replayed-request': 1 }, misdelivered: 2, lost: 0 })
  t.match(ledger.errors(), [{ messageId: 'm', error: 'replayed-request', readBy: 0 }])
})

t.test('a message an instance may have died holding is due only to members still present when its outbox rows are sent again', async (t) => {
  const ledger = new GroupLedger({ graceMs: 100 })
  ledger.joined('stays', 0)
  ledger.joined('goes', 0)
  ledger.left('goes', 5_000) // its region dies before the outbox rows lapse
  ledger.began('near', 'stays', 900)
  ledger.settled('near', 950) // answered 50 ms before the death at 1000: its forward may not have left
  ledger.began('after', 'stays', 3_000)
  ledger.settled('after', 3_010) // begun after the death: forwarded at once by the survivor
  ledger.began('before', 'stays', 100)
  ledger.settled('before', 200) // answered more than the grace before it: forwarded already
  t.same(ledger.expectedReaders(ledger.get('near')!).sort(), ['goes', 'stays'], 'before any death is known, both are due')
  ledger.instanceDied(1_000, 11_000)
  t.same(ledger.expectedReaders(ledger.get('near')!), ['stays'], 'after it, only who is still present when the rows are sent')
  t.same(ledger.expectedReaders(ledger.get('after')!).sort(), ['goes', 'stays'], 'a message begun after the death is not put off')
  t.same(ledger.expectedReaders(ledger.get('before')!).sort(), ['goes', 'stays'], 'nor one answered well before it')
})
