// Scenario 4 — group fan-out: one group session of M members spread evenly over R light
// regions. GRIDIM-GRP-13: each message goes once to each destination region (not once per
// member), so requests per message = destination regions. Measured: requests per message,
// and delivery latency from the sender's sendGroupMessage to each region's arrival — one
// message at a time, then with several in flight.
import { randomUUID } from 'node:crypto'
import { waitUntil } from '../harness/concurrency.ts'
import { sized, type Scenario, type ScenarioResult } from '../harness/scenario.ts'
import { round, summarize } from '../harness/stats.ts'
import { createGroup, signOnDirectly } from '../support/fixtures.ts'
import type { GroupRequest } from '../support/light-region.ts'
import { startLightGrid } from '../support/light-grid.ts'

const FULL = { members: 1000, regions: 100, messages: 300, inFlight: 8, burstMessages: 600, bytes: 128 }
const SMOKE = { members: 40, regions: 5, messages: 10, inFlight: 4, burstMessages: 20, bytes: 128 }

type Phase = { messages: number, seconds: number, perMemberMs: number[], lastRegionMs: number[], answerMs: number[], requests: number[] }

export const groupFanout: Scenario = {
  name: 'group',
  title: '4. Group fan-out',
  async run (options): Promise<ScenarioResult> {
    const sizes = sized(options.smoke ? SMOKE : FULL, options.overrides)
    let groupId = ''
    const grid = await startLightGrid({
      users: sizes.members, friends: 0, regions: sizes.regions, label: 'G', placement: 'round-robin', cpuProfDir: options.cpuProfDir,
      beforeStart: (fixture) => {
        signOnDirectly(fixture.dbPath, fixture.users, fixture.regions)
        groupId = createGroup(fixture.dbPath, 'Bench group', fixture.users.map((u) => u.userId))
      }
    })
    try {
      const { users } = grid.fixture
      for (const u of users) grid.regions[u.region]!.hosted.add(u.userId)
      const hostingRegions = new Set(users.map((u) => u.region)).size
      const starter = users[0]!
      const starterRegion = grid.regions[starter.region]!
      options.log(`group: starting a ${sizes.members}-member session over ${sizes.regions} regions`)
      const session = (await starterRegion.client.call(grid.userServerUrl, 'startGroupSession', { body: { startedBy: starter.userId, groupId } })).body
      await grid.userServer.call('idle')
      const invitationRequests = grid.recorder.notices.length
      await grid.userServer.call('reset')

      // Each message: when it was sent, and the arrivals of its requests.
      const sentAt = new Map<string, number>()
      const arrivals = new Map<string, GroupRequest[]>()
      grid.recorder.onGroupMessage = (request) => {
        const list = arrivals.get(request.messageId)
        if (list === undefined) arrivals.set(request.messageId, [request])
        else list.push(request)
      }
      const sendOne = async (phase: Phase, i: number): Promise<void> => {
        const sender = users[(i * 7919) % users.length]!
        const messageId = randomUUID()
        const t0 = performance.now()
        sentAt.set(messageId, t0)
        const answer = (await grid.regions[sender.region]!.client.call(grid.userServerUrl, 'sendGroupMessage', {
          params: { groupSessionId: session.groupSessionId }, body: { fromUserId: sender.userId, messageId, body: `${i} `.padEnd(sizes.bytes, 'x') }
        })).body
        phase.answerMs.push(performance.now() - t0)
        await waitUntil(() => (arrivals.get(messageId)?.length ?? 0) >= answer.destinations, 30_000, `message ${i} at ${answer.destinations} regions`, 1)
        const got = arrivals.get(messageId)!
        phase.requests.push(got.length)
        let last = 0
        for (const r of got) {
          const ms = r.at - t0
          last = Math.max(last, ms)
          for (let k = 0; k < r.toUserIds.length; k++) phase.perMemberMs.push(ms)
        }
        phase.lastRegionMs.push(last)
        arrivals.delete(messageId)
      }
      const runPhase = async (messages: number, inFlight: number): Promise<Phase> => {
        const phase: Phase = { messages, seconds: 0, perMemberMs: [], lastRegionMs: [], answerMs: [], requests: [] }
        const started = performance.now()
        let next = 0
        await Promise.all(Array.from({ length: inFlight }, async () => { while (next < messages) await sendOne(phase, next++) }))
        phase.seconds = (performance.now() - started) / 1000
        return phase
      }
      options.log(`group: ${sizes.messages} messages one at a time`)
      const single = await runPhase(sizes.messages, 1)
      options.log(`group: ${sizes.burstMessages} messages, ${sizes.inFlight} in flight`)
      const burst = await runPhase(sizes.burstMessages, sizes.inFlight)
      await grid.userServer.call('idle')
      const stats = await grid.userServer.call('stats')
      const totalMessages = sizes.messages + sizes.burstMessages
      // GRIDIM-GRP-13: deliveries, one per message and region, whether alone or in a batch (GRIDIM-GRP-27).
      const forwards = grid.recorder.groupMessages.length
      const requests = (stats.sent.deliverGroupMessage ?? 0) + (stats.sent.deliverGroupMessages ?? 0)
      const perMessage = summarize([...single.requests, ...burst.requests])
      const row = (label: string, p: Phase) => {
        const member = summarize(p.perMemberMs)
        const last = summarize(p.lastRegionMs)
        return [label, p.messages, round(p.messages / p.seconds), round((p.messages * sizes.members) / p.seconds), round(member.p50), round(member.p99), round(last.p50), round(last.p99), round(summarize(p.answerMs).p50)]
      }
      return {
        scenario: 'group',
        title: this.title,
        status: 'done',
        params: { ...sizes },
        tables: [
          {
            title: `Group fan-out: one session of ${sizes.members} members over ${hostingRegions} regions, ${sizes.bytes}-byte messages`,
            columns: ['phase', 'messages', 'msgs/s', 'member deliveries/s', 'member p50 ms', 'member p99 ms', 'last region p50 ms', 'last region p99 ms', 'answer p50 ms'],
            rows: [row('one at a time', single), row(`${sizes.inFlight} in flight`, burst)]
          },
          {
            title: 'Requests per group message (user server → regions)',
            columns: ['messages', 'deliveries', 'per message (mean)', 'min', 'max', 'destination regions', 'requests (single + batch)', 'deliveries per request', 'invitation requests'],
            rows: [[totalMessages, forwards, round(forwards / totalMessages), perMessage.min, perMessage.max, hostingRegions, `${stats.sent.deliverGroupMessage ?? 0} + ${stats.sent.deliverGroupMessages ?? 0}`, round(forwards / Math.max(1, requests)), invitationRequests]]
          }
        ],
        data: { single, burst: { ...burst, perMemberMs: undefined }, singleSummary: { member: summarize(single.perMemberMs), lastRegion: summarize(single.lastRegionMs), answer: summarize(single.answerMs) }, burstSummary: { member: summarize(burst.perMemberMs), lastRegion: summarize(burst.lastRegionMs), answer: summarize(burst.answerMs) }, userServer: stats, hostingRegions, unsigned: grid.recorder.unsigned },
        targets: [
          { target: 'deliveries per group message = destination regions', met: forwards === totalMessages * hostingRegions && perMessage.min === hostingRegions && perMessage.max === hostingRegions, detail: `${forwards} deliveries in ${requests} requests for ${totalMessages} messages to ${hostingRegions} regions` }
        ],
        notes: [
          'Sessions and the group are fixtures in SQLite; the light regions sign sendGroupMessage as the sender\'s region (RFC 9421). Latency is from the moment the sender\'s region sends sendGroupMessage to the arrival of each deliverGroupMessage (all in one process, one clock); a member\'s latency is its region\'s arrival.',
          'The user server answers sendGroupMessage once the forwards are queued; it sends to each region in parallel, one request at a time per region (GRIDIM-GRP-16 ordering).'
        ]
      }
    } finally {
      await grid.stop()
    }
  }
}
