// GRIDIM-XMPP-3 judged from the Jabber server's side: the delays between a failure of the
// component link (a cut, a refused stream) and the component's next connection. They must start
// at no more than 1 second (or the shorter start the gateway's operator configured), double after
// each failed attempt up to at most 60 seconds, and vary by no more than a fifth. Two delays
// drawn with that variation differ in ratio by 2 × 0.8/1.2 … 2 × 1.2/0.8; timers and a loaded
// machine add a little, so small absolute slack is allowed on top.

/** The spec's bounds (GRIDIM-XMPP-3). */
export const RETRY_START_MAX_MS = 1000
export const RETRY_CAP_MS = 60_000
const JITTER = 0.2
/** What timers, sockets and a busy machine add to a measured delay. */
export const MEASURE_SLACK_MS = 150
/**
 * The first delay, measured from the failure as the Jabber server saw it, also holds the time the
 * failure took to reach the component: a first retry due 50 ms after a cut was seen at 255 ms on
 * a machine running three test files at once. Twice the slack still tells a delay that started
 * over (≤ 60 ms) from one that did not (≥ 400 ms in the test grid, component-backoff-not-reset).
 */
export const FIRST_RETRY_SLACK_MS = 2 * MEASURE_SLACK_MS

export const BACKOFF_OK = 'as GRIDIM-XMPP-3 asks'

/** The longest a conforming component may wait before attempt `failures + 1`, for a start of `startMs`. */
export function longestDelay (failures: number, startMs: number): number {
  return Math.min(RETRY_CAP_MS, startMs * 2 ** Math.min(failures, 30)) * (1 + JITTER) + MEASURE_SLACK_MS
}

/**
 * `BACKOFF_OK`, or what is wrong with `delays` (the first after a link that had been up, then
 * one per refused attempt). `startMs`: the start the gateway declares (at most 1 s).
 */
export function judgeBackoff (delays: readonly number[], startMs = RETRY_START_MAX_MS): string {
  if (delays.length === 0) return 'the component never connected again'
  const start = Math.min(startMs, RETRY_START_MAX_MS)
  const first = delays[0]!
  if (first > start * (1 + JITTER) + FIRST_RETRY_SLACK_MS) return `the first retry came after ${first} ms, more than the start of ${start} ms and a fifth`
  for (let i = 1; i < delays.length; i++) {
    const [before, now] = [delays[i - 1]!, delays[i]!]
    const capped = 2 * before * (1 + JITTER) / (1 - JITTER) >= RETRY_CAP_MS
    const low = capped ? RETRY_CAP_MS * (1 - JITTER) / (1 + JITTER) : 2 * before * (1 - JITTER) / (1 + JITTER)
    const high = 2 * before * (1 + JITTER) / (1 - JITTER)
    if (now < Math.min(low, RETRY_CAP_MS * (1 - JITTER)) - MEASURE_SLACK_MS / 2) return `retry ${i + 1} came ${now} ms after the failure, where ${before} ms before: the delay does not double`
    if (now > Math.min(high, RETRY_CAP_MS * (1 + JITTER)) + MEASURE_SLACK_MS) return `retry ${i + 1} came ${now} ms after the failure, where ${before} ms before: more than twice the delay and a fifth`
  }
  // Jitter could let single steps look like doubling; over several, a constant delay cannot. The
  // first delay as measured includes the time the failure took to reach the component: the start
  // declared, when shorter, is the truer base.
  const n = delays.length - 1
  const base = Math.min(first, start)
  if (n >= 2 && delays[n]! < base * 2 ** n * (1 - JITTER) / (1 + JITTER) - MEASURE_SLACK_MS / 2 && base * 2 ** n < RETRY_CAP_MS) {
    return `after ${n} failed attempts the delay is ${delays[n]} ms, not about ${base * 2 ** n} ms (the first, ${first} ms, doubled ${n} times)`
  }
  return BACKOFF_OK
}
