// GRIDIM-XMPP-3 judged from measured delays: what passes, and each way a component gets it wrong.
import t from 'tap'
import { BACKOFF_OK, judgeBackoff, longestDelay, RETRY_CAP_MS } from './backoff-verdict.ts'

t.test('doubling delays from the start pass, with a fifth of variation and a little measuring noise', async (t) => {
  t.equal(judgeBackoff([50, 100, 200, 400], 50), BACKOFF_OK)
  t.equal(judgeBackoff([60, 85, 230, 330], 50), BACKOFF_OK, 'jitter both ways')
  t.equal(judgeBackoff([1000, 2000, 4000], 1000), BACKOFF_OK)
  t.equal(judgeBackoff([900], 1000), BACKOFF_OK, 'a single delay within the start')
  t.equal(judgeBackoff([800], 5000), BACKOFF_OK, 'a declared start above 1 s is held to 1 s')
})

t.test('at the cap of 60 s the delay stops doubling', async (t) => {
  t.equal(judgeBackoff([1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000], 1000), BACKOFF_OK)
  t.match(judgeBackoff([1000, 2000, 4000, 8000, 16_000, 32_000, 64_000, 128_000], 1000), /more than twice|does not double/)
  t.ok(longestDelay(30, 1000) <= RETRY_CAP_MS * 1.2 + 200, 'the longest wait never passes the cap and a fifth')
})

t.test('what is wrong is said', async (t) => {
  t.match(judgeBackoff([]), /never connected again/)
  t.match(judgeBackoff([900], 50), /first retry came after 900 ms, more than the start of 50 ms/)
  t.equal(judgeBackoff([360], 50), BACKOFF_OK, 'a first delay of the start, a fifth and twice the slack passes (a loaded machine)')
  t.match(judgeBackoff([400], 50), /first retry came after 400 ms/, 'a start that was not started over fails (the least component-backoff-not-reset waits in the test grid)')
  t.match(judgeBackoff([50, 50, 50, 50], 50), /does not double|not about/)
  t.match(judgeBackoff([100, 110, 120], 100), /does not double|not about/)
  t.match(judgeBackoff([50, 400], 50), /more than twice the delay/)
  t.match(judgeBackoff([1000, 1500, 2200, 3400], 1000), /not about 8000 ms/, 'single steps within jitter, but no doubling over three')
})
