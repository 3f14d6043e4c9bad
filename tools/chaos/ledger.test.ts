// The chaos run's books: what counts as sent, read, duplicated, lost and an error.
import t from 'tap'
import { Ledger } from './ledger.ts'

const A = 'a0000000-0000-4000-8000-000000000000'
const B = 'b0000000-0000-4000-8000-000000000000'

function ledgerWith (ids: string[]): Ledger {
  const ledger = new Ledger()
  for (const messageId of ids) {
    ledger.began({ messageId, fromUserId: A, toUserId: B, startedAt: 0 })
    ledger.attempted(messageId)
  }
  return ledger
}

t.test('a message told taken and read once is sent and read; one never read is lost', async (t) => {
  const ledger = ledgerWith(['m1', 'm2', 'm3'])
  ledger.settled('m1', 'delivered')
  ledger.settled('m2', 'stored')
  ledger.settled('m3', 'accepted')
  ledger.read(B, 'm1')
  ledger.read(B, 'm3')
  const c = ledger.counts()
  t.match(c, { attempted: 3, sent: 3, read: 2, readRaw: 2, duplicated: 0, lost: 1, errors: 0, pending: 0, misdelivered: 0 })
  t.same(c.outcomes, { delivered: 1, stored: 1, accepted: 1 })
  t.same(ledger.lostIds(), ['m2'])
  t.equal(ledger.unread(), 1)
  t.equal(ledger.unread(B), 1)
  t.equal(ledger.unread(A), 0, 'unread is per recipient')
})

t.test('repeats are counted apart from unique reads (a client shows each messageId once, GRIDIM-CLI-22)', async (t) => {
  const ledger = ledgerWith(['m1'])
  ledger.settled('m1', 'delivered')
  for (let i = 0; i < 3; i++) ledger.read(B, 'm1')
  t.match(ledger.counts(), { sent: 1, read: 1, readRaw: 3, duplicated: 2, lost: 0 })
})

t.test('retries with the same messageId are one message; an error outcome is not sent', async (t) => {
  const ledger = ledgerWith(['m1', 'm2', 'm3', 'm4'])
  ledger.attempted('m1')
  ledger.attempted('m1')
  ledger.settled('m1', 'delivered')
  ledger.failed('m2', 'deadline')
  ledger.failed('m3', 'unknown-user')
  ledger.read(B, 'm2') // taken after all, though the sender was not told
  const c = ledger.counts()
  t.match(c, { attempted: 4, sent: 1, retries: 2, errors: 2, pending: 1, lost: 1, readWithoutOutcome: 1 })
  t.same(c.errorCodes, { deadline: 1, 'unknown-user': 1 })
})

t.test('a message read by someone else, or never sent, is misdelivered', async (t) => {
  const ledger = ledgerWith(['m1'])
  ledger.settled('m1', 'delivered')
  ledger.read(A, 'm1')
  ledger.read(B, 'nobody-sent-this')
  t.match(ledger.counts(), { misdelivered: 2, read: 0, lost: 1 })
  t.equal(ledger.get('m1')?.outcome, 'delivered')
})

t.test('the harness refuses its own mistakes: a messageId begun twice, or never begun', async (t) => {
  const ledger = ledgerWith(['m1'])
  t.throws(() => ledger.began({ messageId: 'm1', fromUserId: A, toUserId: B, startedAt: 0 }), /sent twice/)
  t.throws(() => ledger.settled('m9', 'delivered'), /never begun/)
})
