// Load drivers shared by every transport (grid, Prosody, bare HTTP echo), so the three are
// measured the same way:
// - closed loop: each pair keeps `window` messages in flight; a message is done when the
//   recipient has it. The best throughput over a sweep of windows is the maximum rate.
// - open loop: messages are sent on a fixed schedule at a given rate; latency is measured from
//   the scheduled time (not the actual send), so a stalled sender cannot hide queueing delay.
import { summarize, type Summary } from './stats.ts'

/** One transport under test: `pairs` sender→recipient pairs. */
export interface Link {
  readonly pairs: number
  /** Sends message `seq` over pair `pair`; the link calls `delivered(seq)` when the recipient has it. */
  send: (pair: number, seq: number) => void
  delivered: (seq: number) => void
  /** Failures the link saw (refused sends, error answers). */
  readonly errors: number
}

export type ClosedLoopResult = {
  window: number
  inFlight: number
  messages: number
  seconds: number
  rate: number
  latencyMs: Summary
  /** CPU time the measured server processes spent per delivered message (whole run, µs). */
  serverCpuUsPerMessage?: number
}

/** CPU milliseconds used so far by the processes under test (processCpuMs summed). */
export type CpuMeter = () => number

/** Runs closed-loop for warmupMs + durationMs; counts only what is delivered after the warm-up. */
export async function closedLoop (link: Link, window: number, durationMs: number, warmupMs: number, firstSeq: number, cpu?: CpuMeter): Promise<ClosedLoopResult & { nextSeq: number }> {
  let seq = firstSeq
  let deliveredAll = 0
  const cpuBefore = cpu?.()
  const sentAt = new Map<number, { at: number, pair: number }>()
  const latencies: number[] = []
  let counted = 0
  const start = performance.now()
  const measureFrom = start + warmupMs
  const end = measureFrom + durationMs
  let stopping = false
  const sendOn = (pair: number): void => {
    const s = seq++
    sentAt.set(s, { at: performance.now(), pair })
    link.send(pair, s)
  }
  const done = new Promise<void>((resolve) => {
    link.delivered = (s) => {
      const sent = sentAt.get(s)
      if (sent === undefined) return
      sentAt.delete(s)
      deliveredAll++
      const now = performance.now()
      if (now >= measureFrom && now <= end) {
        counted++
        latencies.push(now - sent.at)
      }
      if (!stopping && now < end) sendOn(sent.pair)
      else if (sentAt.size === 0) resolve()
    }
  })
  for (let w = 0; w < window; w++) for (let p = 0; p < link.pairs; p++) sendOn(p)
  await new Promise((resolve) => setTimeout(resolve, warmupMs + durationMs))
  stopping = true
  // Drain what is still in flight (bounded): the next run starts from a quiet link.
  await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 10_000))])
  const seconds = durationMs / 1000
  const cpuUs = cpuBefore === undefined ? undefined : ((cpu!() - cpuBefore) * 1000) / Math.max(1, deliveredAll)
  return {
    window, inFlight: window * link.pairs, messages: counted, seconds, rate: counted / seconds, latencyMs: summarize(latencies),
    ...(cpuUs === undefined ? {} : { serverCpuUsPerMessage: cpuUs }),
    nextSeq: seq
  }
}

export type OpenLoopResult = { rate: number, sent: number, delivered: number, lost: number, achievedRate: number, latencyMs: Summary }

/** Sends at `rate` messages/s (round-robin over the pairs) for durationMs; then waits up to drainMs. */
export async function openLoop (link: Link, rate: number, durationMs: number, firstSeq: number, drainMs = 10_000): Promise<OpenLoopResult & { nextSeq: number }> {
  const total = Math.max(1, Math.round((rate * durationMs) / 1000))
  const scheduled = new Map<number, number>()
  const latencies: number[] = []
  let seq = firstSeq
  let lastDelivery = 0
  let resolveAll: () => void = () => {}
  const all = new Promise<void>((resolve) => { resolveAll = resolve })
  link.delivered = (s) => {
    const at = scheduled.get(s)
    if (at === undefined) return
    scheduled.delete(s)
    lastDelivery = performance.now()
    latencies.push(lastDelivery - at)
    if (latencies.length === total) resolveAll()
  }
  const start = performance.now() + 5
  const interval = 1000 / rate
  let i = 0
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const now = performance.now()
      while (i < total && start + i * interval <= now) {
        const s = seq++
        scheduled.set(s, start + i * interval)
        link.send(i % link.pairs, s)
        i++
      }
      if (i >= total) resolve()
      else setTimeout(tick, Math.max(0, Math.min(1, start + i * interval - performance.now())))
    }
    setTimeout(tick, 5)
  })
  await Promise.race([all, new Promise((resolve) => setTimeout(resolve, drainMs))])
  const elapsed = (lastDelivery - start) / 1000
  return {
    rate,
    sent: total,
    delivered: latencies.length,
    lost: total - latencies.length,
    achievedRate: elapsed > 0 ? latencies.length / elapsed : 0,
    latencyMs: summarize(latencies),
    nextSeq: seq
  }
}

export type RateSearch = { sweep: ClosedLoopResult[], best: ClosedLoopResult, halfRate: OpenLoopResult }

/** The maximum rate (best closed-loop window), then latency open-loop at half of it. */
export async function measureLink (link: Link, options: { windows: number[], durationMs: number, warmupMs: number, openDurationMs: number, cpu?: CpuMeter }): Promise<RateSearch> {
  let seq = 1
  const sweep: ClosedLoopResult[] = []
  for (const window of options.windows) {
    const { nextSeq, ...result } = await closedLoop(link, window, options.durationMs, options.warmupMs, seq, options.cpu)
    seq = nextSeq
    sweep.push(result)
  }
  const best = sweep.reduce((a, b) => (b.rate > a.rate ? b : a))
  const { nextSeq: _, ...halfRate } = await openLoop(link, best.rate / 2, options.openDurationMs, seq)
  return { sweep, best, halfRate }
}
