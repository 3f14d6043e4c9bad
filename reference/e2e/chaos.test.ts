// Issue 11, "nothing lost": real `gridim` processes under a steady stream of instant messages
// from senders on R1 to recipients on R2, while R2 and then the user server are killed with
// `kill -9` and restarted as themselves (tools/chaos/scenario.ts; `npm run chaos` runs the same
// at a larger size). Every message a sender was told was taken (delivered, stored or accepted)
// must be read by its recipient — "delivered" lasts until the client has read past it
// (chapters 7, 8 and 10) — each exactly once after the client's de-duplication by messageId
// (GRIDIM-CLI-22); and once R2's lease has lapsed no sender still shows its friend online
// (GRIDIM-LEASE-6). The harness stops every process it started, by pid, even on failure.
import t from 'tap'
import { formatTable } from '../../tools/bench/harness/table.ts'
import { chaosTables } from '../../tools/chaos/report.ts'
import { runChaos, TEST_SIZE } from '../../tools/chaos/scenario.ts'

const result = await runChaos(TEST_SIZE)
for (const table of chaosTables(result)) t.comment('\n' + formatTable(table))
const c = result.counts

t.test('the run sent a stream across both crashes, some messages delivered live and some stored', async (t) => {
  t.equal(c.pending, 0, 'every send ended with an outcome or an error')
  // Retrying with the same messageId (GRIDIM-CLI-17), a client always got an answer. A refusal
  // is an honest answer, not a loss. Should a slow restart of the user server let the leases
  // lapse, a send caught in between is told 401 (its session is over: it signs on again and
  // repeats), never the grid's own codes (GRIDIM-LEASE-12).
  t.notOk(c.errorCodes.deadline, 'no send went unanswered until the deadline')
  t.notOk(c.errorCodes['not-your-agent'] ?? c.errorCodes['lease-expired'], 'GRIDIM-LEASE-12: no client was answered not-your-agent or lease-expired')
  if (c.errors > 0) t.comment(`refused sends: ${JSON.stringify(c.errorCodes)}`)
  t.ok(c.sent >= TEST_SIZE.ratePerSecond * TEST_SIZE.phaseSeconds * 3, `a stream: ${c.sent} messages sent`)
  t.ok(c.outcomes.delivered > 0, 'delivered while R2 was up')
  t.ok(c.outcomes.stored > 0, 'stored while R2 was down')
  t.same(result.timeline.map((e) => e.event.split(' ')[0]).filter((w) => ['kill', 'restart'].includes(w)), ['kill', 'restart', 'kill', 'restart'])
})

t.test('nothing told taken is lost: each message is read by its recipient, once after de-duplication', async (t) => {
  t.equal(c.misdelivered, 0, 'no client read a message that was not its own')
  t.equal(c.lost, 0, `lost: ${JSON.stringify(result.lost)}`)
  t.equal(c.read, c.sent, 'read (unique messageIds) = sent')
  t.comment(`sent ${c.sent}, read ${c.read}, raw repeats ${c.duplicated} (hidden by messageId), lost ${c.lost}, errors ${c.errors}`)
})

t.test('no friend is shown online after a lease: every sender is told its recipient went offline (GRIDIM-LEASE-6)', async (t) => {
  t.equal(result.presence.offlineAfterMs.length, TEST_SIZE.pairs)
  for (const [i, ms] of result.presence.offlineAfterMs.entries()) {
    t.ok(ms !== null && ms <= result.presence.limitMs, `pair ${i}: told offline ${ms} ms after the kill (limit ${result.presence.limitMs} ms)`)
  }
  t.equal(result.presence.shownOnline, 0, 'no sender still shows its friend online when R2 comes back')
})
