// Scenario 4 — group fan-out: group sessions of M members spread evenly over R light regions.
// GRIDIM-GRP-13: each message goes once to each destination region (not once per member), so a
// message costs at most one request per destination region — fewer when the user server
// batches several messages for one region into one request (issue 15). Measured: one message
// at a time (latency), then the closed-loop rate with several sessions and several messages in
// flight per session (what batching needs to show), with requests per message and the user
// server's CPU per message.
import { randomUUID } from 'node:crypto'
import { processCpuMs } from '../harness/processes.ts'
import { sized, type Scenario, type ScenarioResult } from '../harness/scenario.ts'
import { round, summarize, type Summary } from '../harness/stats.ts'
import { createGroup, signOnDirectly } from '../support/fixtures.ts'
import type { GroupRequest } from '../support/light-region.ts'
import { startLightGrid } from '../support/light-grid.ts'

/**
 * sessions: group sessions (each of all M members) sending at once; windows: messages in flight
 * per session, one closed-loop run each; messages: the one-at-a-time phase.
 */
const FULL = { members: 1000, regions: 100, sessions: 4, windows: [1, 4, 16], messages: 100, durationMs: 8000, warmupMs: 2000, bytes: 128 }
const SMOKE = { members: 40, regions: 5, sessions: 2, windows: [1, 2], messages: 10, durationMs: 600, warmupMs: 200, bytes: 128 }

type Sizes = typeof FULL

/** One phase: what was measured in its window, and every request of the whole phase. */
type Phase = {
  label: string
  inFlight: number
  /** Messages done inside the measured window, and its length. */
  messages: number
  seconds: number
  perMemberMs: number[]
  lastRegionMs: number[]
  answerMs: number[]
  /** The whole phase (warm-up and drain included): messages sent, requests that carried them, user server CPU. */
  sent: number
  groupRequests: number
  userServerCpuMs: number
}

type Done = { doneAt: number, answerMs: number, lastRegionMs: number, memberMs: number[] }

/** Sizes that cannot run say so before anything starts. */
function checkSizes (sizes: Sizes): void {
  for (const key of ['members', 'regions', 'sessions', 'messages', 'durationMs', 'bytes'] as const) {
    if (!Number.isInteger(sizes[key]) || sizes[key] <= 0) throw new Error(`group: ${key} must be a positive integer, got ${sizes[key]}`)
  }
  if (sizes.members < sizes.regions) throw new Error(`group: members (${sizes.members}) must be at least regions (${sizes.regions}), so every region hosts members`)
  if (sizes.windows.length === 0 || !sizes.windows.every((w) => Number.isInteger(w) && w > 0)) throw new Error(`group: windows must be positive integers, got ${sizes.windows.join(',')}`)
}

const summaryOf = (p: Phase): { member: Summary, lastRegion: Summary, answer: Summary } => ({ member: summarize(p.perMemberMs), lastRegion: summarize(p.lastRegionMs), answer: summarize(p.answerMs) })

export const groupFanout: Scenario = {
  name: 'group',
  title: '4. Group fan-out',
  async run (options): Promise<ScenarioResult> {
    const sizes = sized(options.smoke ? SMOKE : FULL, options.overrides)
    checkSizes(sizes)
    const groupIds: string[] = []
    const grid = await startLightGrid({
      users: sizes.members, friends: 0, regions: sizes.regions, label: 'G', placement: 'round-robin', cpuProfDir: options.cpuProfDir,
      beforeStart: async (fixture) => {
        await signOnDirectly(fixture.dbPath, fixture.users, fixture.regions)
        for (let s = 0; s < sizes.sessions; s++) groupIds.push(await createGroup(fixture.dbPath, `Bench group ${s + 1}`, fixture.users.map((u) => u.userId)))
      }
    })
    try {
      const { users } = grid.fixture
      const { recorder } = grid
      for (const u of users) grid.regions[u.region]!.hosted.add(u.userId)
      const hostingRegions = new Set(users.map((u) => u.region)).size
      options.log(`group: starting ${sizes.sessions} sessions of ${sizes.members} members over ${sizes.regions} regions`)
      const sessions: string[] = []
      for (const [s, groupId] of groupIds.entries()) {
        const starter = users[s % users.length]!
        sessions.push((await grid.regions[starter.region]!.client.call(grid.userServerUrl, 'startGroupSession', { body: { startedBy: starter.userId, groupId } })).body.groupSessionId)
      }
      await grid.userServer.call('idle')
      const invitationRequests = recorder.notices.length
      await grid.userServer.call('reset')

      // Each message in flight: when it was sent, the destinations the answer named, its arrivals.
      type Pending = { t0: number, destinations?: number, regions: Set<number>, arrivals: GroupRequest[], done: () => void }
      const pending = new Map<string, Pending>()
      const anomalies = { duplicates: 0, strays: 0, destinationsNotRegions: 0 }
      const complete = (p: Pending): void => { if (p.destinations !== undefined && p.regions.size >= p.destinations) p.done() }
      recorder.onGroupMessage = (request) => {
        const p = pending.get(request.messageId)
        if (p === undefined) { anomalies.strays++; return } // after its message was done: a second copy
        if (p.regions.has(request.region)) { anomalies.duplicates++; return }
        p.regions.add(request.region)
        p.arrivals.push(request)
        complete(p)
      }
      let counter = 0
      const sendOne = async (session: number): Promise<Done> => {
        const i = counter++
        const sender = users[(i * 7919) % users.length]!
        const messageId = randomUUID()
        const t0 = performance.now()
        let timer: NodeJS.Timeout | undefined
        const arrived = new Promise<void>((resolve, reject) => {
          timer = setTimeout(() => reject(new Error(`group message ${i}: not at every destination region after 30 s`)), 30_000)
          pending.set(messageId, { t0, regions: new Set(), arrivals: [], done: resolve })
        })
        try {
          const answer = (await grid.regions[sender.region]!.client.call(grid.userServerUrl, 'sendGroupMessage', {
            params: { groupSessionId: sessions[session]! }, body: { fromUserId: sender.userId, messageId, body: `${i} `.padEnd(sizes.bytes, 'x') }
          })).body
          const answerMs = performance.now() - t0
          const p = pending.get(messageId)!
          p.destinations = answer.destinations
          if (answer.destinations !== hostingRegions) anomalies.destinationsNotRegions++
          complete(p)
          await arrived
          let last = 0
          const memberMs: number[] = []
          for (const r of p.arrivals) {
            last = Math.max(last, r.at - t0)
            for (let k = 0; k < r.toUserIds.length; k++) memberMs.push(r.at - t0)
          }
          return { doneAt: performance.now(), answerMs, lastRegionMs: last, memberMs }
        } finally {
          clearTimeout(timer)
          pending.delete(messageId)
        }
      }
      const runPhase = async (label: string, inFlightPerSession: number, sessionsUsed: number, until: { messages: number } | { warmupMs: number, durationMs: number }): Promise<Phase> => {
        const inFlight = inFlightPerSession * sessionsUsed
        const phase: Phase = { label, inFlight, messages: 0, seconds: 0, perMemberMs: [], lastRegionMs: [], answerMs: [], sent: 0, groupRequests: 0, userServerCpuMs: 0 }
        const [requestsBefore, cpuBefore] = [recorder.groupRequests, processCpuMs(grid.userServer.pid)]
        const start = performance.now()
        const [from, end] = 'messages' in until ? [start, Number.POSITIVE_INFINITY] : [start + until.warmupMs, start + until.warmupMs + until.durationMs]
        const more = (): boolean => ('messages' in until ? phase.sent < until.messages : performance.now() < end)
        await Promise.all(Array.from({ length: inFlight }, async (_, slot) => {
          while (more()) {
            phase.sent++
            const done = await sendOne(slot % sessionsUsed)
            if (done.doneAt < from || done.doneAt > end) continue
            phase.messages++
            phase.answerMs.push(done.answerMs)
            phase.lastRegionMs.push(done.lastRegionMs)
            for (const ms of done.memberMs) phase.perMemberMs.push(ms)
          }
        }))
        phase.seconds = 'messages' in until ? (performance.now() - start) / 1000 : until.durationMs / 1000
        phase.groupRequests = recorder.groupRequests - requestsBefore
        phase.userServerCpuMs = processCpuMs(grid.userServer.pid) - cpuBefore
        return phase
      }
      options.log(`group: ${sizes.messages} messages one at a time`)
      const phases = [await runPhase('one at a time', 1, 1, { messages: sizes.messages })]
      for (const window of sizes.windows) {
        options.log(`group: closed loop, ${sizes.sessions} sessions × ${window} in flight`)
        phases.push(await runPhase(`closed loop, ${sizes.sessions} sessions × ${window}`, window, sizes.sessions, { warmupMs: sizes.warmupMs, durationMs: sizes.durationMs }))
      }
      await grid.userServer.call('idle')
      const stats = await grid.userServer.call('stats')
      const sent = phases.reduce((n, p) => n + p.sent, 0)
      const requests = phases.reduce((n, p) => n + p.groupRequests, 0)
      const best = phases.slice(1).reduce((a, b) => (b.messages / b.seconds > a.messages / a.seconds ? b : a), phases[0]!)
      const bestRate = best.messages / best.seconds
      const exactlyOnce = anomalies.duplicates === 0 && anomalies.strays === 0 && anomalies.destinationsNotRegions === 0 && recorder.groupMessages === sent * hostingRegions
      return {
        scenario: 'group',
        title: this.title,
        status: 'done',
        params: { ...sizes },
        tables: [
          {
            title: `Group fan-out: ${sizes.sessions} sessions, each of ${sizes.members} members over ${hostingRegions} regions, ${sizes.bytes}-byte messages; closed loop for ${sizes.durationMs / 1000} s after ${sizes.warmupMs / 1000} s of warm-up`,
            columns: ['phase', 'in flight', 'messages', 'msgs/s', 'member deliveries/s', 'member p50 ms', 'member p99 ms', 'last region p50 ms', 'last region p99 ms', 'answer p50 ms', 'user server CPU µs/msg'],
            rows: phases.map((p) => {
              const s = summaryOf(p)
              return [p.label, p.inFlight, p.messages, round(p.messages / p.seconds), round((p.messages * sizes.members) / p.seconds), round(s.member.p50), round(s.member.p99), round(s.lastRegion.p50), round(s.lastRegion.p99), round(s.answer.p50), round((p.userServerCpuMs * 1000) / Math.max(1, p.sent))]
            })
          },
          {
            title: 'Requests per group message (user server → regions; a batched request counts once)',
            columns: ['phase', 'messages sent', 'requests', 'per message', 'per message and destination region', 'destination regions'],
            rows: [
              ...phases.map((p) => [p.label, p.sent, p.groupRequests, round(p.groupRequests / p.sent), round(p.groupRequests / (p.sent * hostingRegions)), hostingRegions]),
              ['all phases', sent, requests, round(requests / sent), round(requests / (sent * hostingRegions)), hostingRegions]
            ]
          }
        ],
        data: {
          phases: phases.map((p) => ({ ...p, perMemberMs: undefined, summary: summaryOf(p) })),
          single: { requests: phases[0]!.groupRequests, sent: phases[0]!.sent, memberDeliveries: phases[0]!.perMemberMs.length },
          sent, requests, groupMessagesArrived: recorder.groupMessages, anomalies, invitationRequests, bestRate,
          userServer: stats, hostingRegions, unsigned: recorder.unsigned
        },
        targets: [
          {
            target: 'group fan-out ≥ 200 msgs/s to 100 regions',
            met: hostingRegions === 100 ? bestRate >= 200 : null,
            detail: `${round(bestRate)} msgs/s to ${hostingRegions} regions (${best.label})${hostingRegions === 100 ? '' : '; the target is for 100 regions'}`
          },
          {
            target: 'requests per group message ≤ destination regions, each message at each destination region exactly once',
            met: requests <= sent * hostingRegions && exactlyOnce,
            detail: `${requests} requests for ${sent} messages to ${hostingRegions} regions (${round(requests / (sent * hostingRegions))} per message and region); ${recorder.groupMessages} arrivals, ${anomalies.duplicates + anomalies.strays} duplicates, ${anomalies.destinationsNotRegions} answers naming other than ${hostingRegions} destinations`
          }
        ],
        notes: [
          'Sessions and the groups are fixtures in SQLite; every group holds all members. The light regions sign sendGroupMessage as the sender\'s region (RFC 9421). Latency is from the moment the sender\'s region sends sendGroupMessage to the arrival of each group message at a region (all in one process, one clock); a member\'s latency is its region\'s arrival.',
          'Closed loop: each session keeps its window of messages in flight; a message is done when every destination region has it; msgs/s counts the messages done inside the measured window. User server CPU per message covers the whole phase (warm-up and drain included).',
          `Starting the ${sizes.sessions} sessions took ${invitationRequests} invitation requests (deliverNotices), not counted above.`,
          'The light regions (node:http, in the benchmark process) answer deliverGroupMessage; the user server sends to each region in parallel, in order per region (GRIDIM-GRP-16).'
        ]
      }
    } finally {
      await grid.stop()
    }
  }
}
