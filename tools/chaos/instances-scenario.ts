// The chaos run against a user server of N instances on PostgreSQL behind HAProxy (issue 16):
// the run of scenario.ts with what a grid of many users does besides instant messages — users
// signing off and on again, and a group session — and with the user server's crash being one
// instance's, which stays dead for a while:
//   sign on → start the group session → instant messages, group messages and sign-offs/-ons flow →
//   kill -9 one instance → the same keeps flowing through the others → the sign-offs stop with
//   their users signed off: every friend must be told they are offline (a sign-off cut short by
//   the kill is repeated by its client and must not leave a ghost) → they sign on again → kill -9
//   R2 while the instance is still dead: its lease lapses on the surviving instances' sweeper, every
//   sender is told its recipient is offline (GRIDIM-LEASE-6) → restart R2 and the instance →
//   traffic through all instances → drain.
// Then the books: instant messages as in scenario.ts; group messages per member present
// (group.ts): every one whose sender was told it was sent must be read by every member present,
// once after de-duplication by messageId.
import { join } from 'node:path'
import Database from 'better-sqlite3'
import type { ClientSession } from '../../conformance/lib/client-session.ts'
import { ChaosClient, type ChaosUser } from './client.ts'
import { GROUP_OUTBOX_LEASE_MS } from '../../reference/user-server/group-sessions/outbox.ts'
import { GroupLedger, GroupTraffic, rejoin, type GroupCounts } from './group.ts'
import { startChaosGrid, type ChaosGrid } from './grid.ts'
import { Ledger } from './ledger.ts'
import { noGhosts, type ChaosParams, type ChaosResult } from './scenario.ts'
import { Traffic, type Pair } from './traffic.ts'
import { until } from './until.ts'

export type InstancesChaosParams = ChaosParams & {
  /** User-server instances behind the balancer (≥ 2 for a kill to leave one up). */
  userServers: number
  /** Recipients who sign off and on again during the run. */
  churners: number
  /** Group messages per second, all senders together. */
  groupRatePerSecond: number
  /** How long the killed instance stays dead before the R2 step (which it stays dead through). */
  deadSeconds: number
  /** False: the same run without killing the instance (to tell what the kill causes from what sign-offs alone do). */
  killInstance?: boolean
}

export const INSTANCES_TEST_SIZE: InstancesChaosParams = {
  pairs: 3, ratePerSecond: 12, phaseSeconds: 2, leaseSeconds: 6, sendDeadlineSeconds: 30, readPauseMs: 200, quietSeconds: 3,
  userServers: 2, churners: 2, groupRatePerSecond: 5, deadSeconds: 2
}

/** Sign-offs cut short: after the churn stopped with its users signed off, was each one's friend told? */
export type SignOffCheck = {
  /** Per churner: ms from its last sign-off until its friend read `offline` (null: never). */
  offlineAfterMs: Array<number | null>
  limitMs: number
  /** Friends still shown a signed-off user online at the limit. */
  shownOnline: number
  ok: boolean
}

export type InstancesChaosResult = ChaosResult & {
  params: Omit<InstancesChaosParams, 'log'>
  group: GroupCounts
  /** `missing`: members present who never read it, as R1/R2 and their index. */
  groupLost: Array<{ messageId: string, fromUserId: string, startedAtMs: number, answeredAtMs: number, attempts: number, missing: string[], members: number }>
  /** Lost instant messages in detail: whether the user server still holds it offline, and the recipient's sign-offs (from-to, ms) and sign-ons. */
  lostDetail: Array<{ messageId: string, recipient: string, stillStored: boolean, signOffsMs: number[], signOnsMs: number[], atR2: string, logs: string[] }>
  signOffs: SignOffCheck
  /** Sign-offs and sign-ons the churners made (harness-initiated). */
  churn: { signOffs: number, signOns: number, signOffsDuringKill: number, signOffRefusals: string[] }
  /** Group messages that ended with an error: what the sender was told, when, and how many members read it anyway. */
  groupErrors: Array<{ messageId: string, error: string, startedAtMs: number, failedAtMs: number, attempts: number, readBy: number }>
  /** Instant messages read more than once by their recipient (raw repeats, hidden by messageId): when each read happened. */
  repeats: Array<{ messageId: string, outcome?: string, startedAtMs: number, readsAtMs: number[] }>
  /** Refusals of a member's rejoin after sign-on, ms from the start. */
  rejoinRefusals: Array<{ code: string, atMs: number }>
  /** When the instance was killed and restarted, ms from the start. */
  instanceKilledAtMs: number
  instanceRestartedAtMs: number
}

export async function runInstancesChaos (params: InstancesChaosParams): Promise<InstancesChaosResult> {
  const { log = () => {}, ...shown } = params
  if (params.userServers < 2) throw new RangeError('the instances run needs at least 2 user-server instances')
  if (params.churners > params.pairs) throw new RangeError('churners are recipients: at most --pairs')
  const started = Date.now()
  const ledger = new Ledger()
  const groupLedger = new GroupLedger({ graceMs: 2000 })
  const timeline: ChaosResult['timeline'] = []
  let traffic: Traffic | undefined
  let groupTraffic: GroupTraffic | undefined
  const mark = (event: string): void => {
    timeline.push({ atMs: Date.now() - started, event, begun: traffic?.begun ?? 0 })
    log(event)
  }
  let lastReadAt = Date.now()
  let groupSessionId: string | undefined
  const rejoinRefusals: Array<{ code: string, at: number }> = []
  const readsAt = new Map<string, number[]>()
  const onEvent = (event: { type: string, data: any }, client: ChaosClient): void => {
    if (event.type === 'instantMessage') {
      lastReadAt = Date.now()
      readsAt.set(event.data.messageId, [...readsAt.get(event.data.messageId) ?? [], lastReadAt - started])
      ledger.read(client.user.userId, event.data.messageId)
    } else if (event.type === 'groupMessage' && event.data.groupSessionId === groupSessionId) {
      lastReadAt = Date.now()
      groupLedger.read(client.user.userId, event.data.messageId)
    }
  }
  // Every sign-on after the group session started rejoins it (GRIDIM-GRP-10 took the member out
  // when its earlier session ended).
  const onSignOn = async (session: ClientSession, client: ChaosClient): Promise<void> => {
    if (groupSessionId !== undefined) await rejoin(client, session, groupLedger, groupSessionId, rejoinRefusals)
  }

  const grid: ChaosGrid = await startChaosGrid({ leaseSeconds: params.leaseSeconds, userServers: params.userServers })
  const cluster = grid.cluster!
  const clients: ChaosClient[] = []
  const client = (user: ChaosUser, regionUrl: string, readPauseMs = 0): ChaosClient => {
    const c = new ChaosClient({ user, regionUrl, onEvent, onSignOn, readPauseMs, waitSeconds: 5 })
    clients.push(c)
    return c
  }
  let churning: Promise<void> | undefined
  let churnStop = false
  try {
    mark(`grid started: ${params.userServers} user-server instances on PostgreSQL behind HAProxy, R1 (senders), R2 (recipients)`)
    const pairs: Pair[] = []
    const users: ChaosUser[] = []
    for (let i = 0; i < params.pairs; i++) {
      const [s, r] = [await grid.createUser(`Send${i}x`), await grid.createUser(`Recv${i}x`)]
      await grid.befriend(s, r)
      users.push(s, r)
      pairs.push({ sender: client(s, grid.r1.url), recipient: client(r, grid.r2.url, params.readPauseMs) })
    }
    const groupId = await grid.createGroup('Chaos', users)
    for (const c of clients) { await c.session(); c.startReading() }
    const online = (p: Pair): boolean => p.sender.lastPresence(p.recipient.user.userId)?.status === 'online'
    await until(() => pairs.every(online), 20_000, 'every sender told its recipient is online')
    mark(`${params.pairs} pairs signed on; every sender sees its recipient online`)

    // The group session: every user a member (the starter's answer lists those reachable; any
    // other joins). Its senders are the stable members on R1.
    const opened = await (await pairs[0]!.sender.session()).call('clientStartGroupSession', { body: { groupId } })
    groupSessionId = opened.groupSessionId
    const at = Date.now()
    for (const m of opened.members) groupLedger.joined(m.userId, at)
    for (const c of clients) if (!groupLedger.isMember(c.user.userId)) await rejoin(c, await c.session(), groupLedger, groupSessionId, rejoinRefusals)
    mark(`group session of ${opened.members.length} members started`)

    const deadlineMs = params.sendDeadlineSeconds * 1000
    traffic = new Traffic(pairs, ledger, { ratePerSecond: params.ratePerSecond, deadlineMs })
    groupTraffic = new GroupTraffic(pairs.map((p) => p.sender), groupLedger, groupSessionId, { ratePerSecond: params.groupRatePerSecond, deadlineMs })
    const t = traffic
    const sendMore = async (seconds: number, what: string): Promise<void> => {
      const target = t.begun + Math.max(1, Math.round(params.ratePerSecond * seconds))
      await until(() => t.begun >= target, seconds * 1000 + 30_000, what)
    }

    // Sign-offs and sign-ons: each churner stays on ~1.2 s and off ~0.8 s (staggered), until
    // told to stop, and stops signed off.
    const churners = pairs.slice(0, params.churners).map((p) => p.recipient)
    const lastSignOff = new Map<ChaosClient, number>()
    const signOffTimes = new Map<ChaosClient, number[]>()
    let signOffs = 0
    let signOns = 0
    let instanceKilledAt = Number.POSITIVE_INFINITY
    let instanceBackAt = Number.POSITIVE_INFINITY
    let signOffsDuringKill = 0
    const churn = async (c: ChaosClient, i: number): Promise<void> => {
      await c.pause(300 * i)
      // The stop is looked at only once signed off: every churner ends signed off.
      for (;;) {
        await c.pause(1200)
        const at = Date.now()
        lastSignOff.set(c, at)
        signOffTimes.set(c, [...signOffTimes.get(c) ?? [], at - started])
        // A member signing off leaves the session as it asks to: the books stop expecting from here.
        groupLedger.left(c.user.userId, at)
        await c.signOff()
        signOffs++
        if (at >= instanceKilledAt && at < instanceBackAt) signOffsDuringKill++
        if (churnStop) return
        await c.pause(800)
        c.signOnAgain()
        await c.session().catch(() => {})
        signOns++
      }
    }

    traffic.start()
    groupTraffic.start()
    churning = Promise.all(churners.map(churn)).then(() => {})
    mark(`traffic starts: instant messages, group messages, ${churners.length} recipients signing off and on`)
    await sendMore(params.phaseSeconds, 'steady traffic')

    const victim = cluster.instances[0]!
    const killInstance = params.killInstance ?? true
    if (killInstance) {
      mark(`kill -9 user-server instance 1 of ${cluster.instances.length} (port ${victim.port})`)
      await victim.kill()
      instanceKilledAt = Date.now()
      // Its outbox rows are sent by the survivor once they lapse, at its next sweep (default 1 s).
      groupLedger.instanceDied(instanceKilledAt, GROUP_OUTBOX_LEASE_MS + 1000)
    } else mark('(no instance killed: --no-instance-kill)')
    await sendMore(params.deadSeconds, 'traffic with one instance dead')

    mark('sign-offs stop, each churner signed off')
    churnStop = true
    await churning
    const signOffCheck = await toldSignedOff(pairs.slice(0, params.churners), lastSignOff, params.leaseSeconds)
    mark(`friends told the signed-off churners are offline (${signOffCheck.ok ? 'within' : 'NOT within'} the lease + 7 s)`)
    for (const c of churners) c.signOnAgain()
    await Promise.all(churners.map(async (c) => await c.session()))
    await until(() => pairs.every(online), 20_000, 'every sender told its recipient is online again')
    mark('churners signed on again; every sender sees its recipient online')

    mark('kill -9 R2 (the instance still dead)')
    const loginsBefore = pairs.map((p) => p.recipient.logins)
    await grid.r2.kill()
    const killedAt = Date.now()
    const presence = await noGhosts(pairs, killedAt, params.leaseSeconds)
    mark(`every sender told its recipient is offline (${presence.ok ? 'within' : 'NOT within'} the lease + 7 s)`)
    // Both come back at once (as two supervisors would): the run is shorter, and the recipients'
    // sign-ons meet an instance starting up behind the balancer.
    mark(`restart R2 (same id, key, data and port)${killInstance ? ' and user-server instance 1' : ''}`)
    await Promise.all([
      grid.r2.start(),
      killInstance ? victim.start().then(() => { instanceBackAt = Date.now(); mark('instance 1 ready again') }) : undefined
    ])
    await until(() => pairs.every((p, i) => p.recipient.logins > loginsBefore[i]!), 60_000, 'every recipient signed on again at R2')
    mark('every recipient signed on again at R2')
    await sendMore(params.phaseSeconds, 'steady traffic through every instance')

    mark('traffic stops; waiting for every send to get its outcome')
    await Promise.all([traffic.stop(), groupTraffic.stop()])
    mark('every send answered; draining')
    const quietMs = params.quietSeconds * 1000
    const unread = (): number => ledger.unread() + groupLedger.unread()
    await until(() => (unread() === 0 && Date.now() - lastReadAt > Math.min(1000, quietMs)) || Date.now() - lastReadAt > quietMs,
      params.sendDeadlineSeconds * 1000 + quietMs + 60_000, 'every member and recipient to read until quiet')
    mark(unread() === 0 ? 'drained: every sent message read' : `quiet for ${params.quietSeconds} s with ${ledger.unread()} instant and ${groupLedger.unread()} group reads missing`)

    const counts = ledger.counts()
    const lost = ledger.lostIds().slice(0, 20).map((messageId) => {
      const r = ledger.get(messageId)!
      return { messageId, outcome: r.outcome, startedAtMs: r.startedAt - started }
    })
    const members = users.length
    const label = (userId: string): string => {
      const i = pairs.findIndex((p) => p.sender.user.userId === userId || p.recipient.user.userId === userId)
      return pairs[i]?.sender.user.userId === userId ? `R1:S${i}` : `R2:R${i}`
    }
    const groupLost = groupLedger.lostMessages().slice(0, 20).map((l) => ({
      messageId: l.messageId, fromUserId: l.fromUserId, startedAtMs: l.startedAt - started, answeredAtMs: l.answeredAt - started, attempts: l.attempts, missing: l.missing.map(label), members
    }))
    const lostDetail = []
    for (const { messageId } of lost) {
      const recipient = pairs.find((p) => p.recipient.user.userId === ledger.get(messageId)!.toUserId)!.recipient
      lostDetail.push({
        messageId, recipient: label(recipient.user.userId),
        stillStored: (await grid.offlineMessageIds(recipient.user.userId)).includes(messageId),
        signOffsMs: signOffTimes.get(recipient) ?? [], signOnsMs: recipient.signOns.map((at) => at - started),
        atR2: keptAtR2(messageId),
        logs: [['R1', grid.r1.stderr()], ['R2', grid.r2.stderr()], ...cluster.instances.map((inst, i) => [`instance ${i + 1}`, inst.process.stderr()])]
          .flatMap(([who, text]) => text!.split('\n').filter((line) => line.includes(messageId)).map((line) => `${who}: ${line}`))
      })
    }
    const groupErrors = groupLedger.errors().map((r) => ({ messageId: r.messageId, error: r.error!, startedAtMs: r.startedAt - started, failedAtMs: r.failedAt! - started, attempts: r.attempts, readBy: r.readBy }))
    const repeats = [...readsAt].filter(([, at]) => at.length > 1).map(([messageId, at]) => {
      const r = ledger.get(messageId)
      return { messageId, outcome: r?.outcome, startedAtMs: (r?.startedAt ?? started) - started, readsAtMs: at }
    })
    return {
      params: shown, counts, timeline, presence, lost, group: groupLedger.counts(), groupLost, groupErrors, repeats, signOffs: signOffCheck,
      churn: { signOffs, signOns, signOffsDuringKill, signOffRefusals: churners.flatMap((c) => c.signOffRefusals) }, rejoinRefusals: rejoinRefusals.map((r) => ({ code: r.code, atMs: r.at - started })), lostDetail,
      instanceKilledAtMs: instanceKilledAt - started, instanceRestartedAtMs: instanceBackAt - started, durationMs: Date.now() - started
    }
  } finally {
    churnStop = true
    const stopping = clients.map(async (c) => await c.stop())
    await Promise.all([traffic?.stop(), groupTraffic?.stop(), churning])
    await grid.stop()
    await Promise.all(stopping)
  }

  /** What R2's message store (GRIDIM-IM-20) holds of a message: its row, or that it has none. */
  function keptAtR2 (messageId: string): string {
    const db = new Database(join(grid.dataDir, 'r2', `region-${grid.r2.ready.regionId as string}.sqlite`), { readonly: true, fileMustExist: true })
    try {
      const row = db.prepare('SELECT state, origin, session_id AS sessionId, cursor, accepted_at AS acceptedAt FROM accepted_messages WHERE message_id = ?').get(messageId) as Record<string, any> | undefined
      return row === undefined ? 'no row at R2' : `R2 row: ${row.state}, origin ${row.origin}, session ${String(row.sessionId).slice(0, 8)}, cursor ${row.cursor}, accepted at ${((row.acceptedAt - started) / 1000).toFixed(2)} s`
    } catch (err) {
      return `R2's store not readable: ${(err as Error).message}`
    } finally {
      db.close()
    }
  }

  /** A user who signed off is shown offline to its friend within the lease (+7 s as GRIDIM-LEASE-6), even when its sign-off met the kill. */
  async function toldSignedOff (churned: Pair[], lastSignOff: Map<ChaosClient, number>, leaseSeconds: number): Promise<SignOffCheck> {
    const limitMs = (leaseSeconds + 7) * 1000
    const told = (p: Pair): number | null => {
      const off = lastSignOff.get(p.recipient)
      const last = p.sender.lastPresence(p.recipient.user.userId)
      return off !== undefined && last?.status === 'offline' && last.at >= off ? last.at - off : null
    }
    await until(() => churned.every((p) => told(p) !== null), limitMs, 'every friend told the churners are offline').catch(() => {})
    const offlineAfterMs = churned.map(told)
    const shownOnline = churned.filter((p) => p.sender.lastPresence(p.recipient.user.userId)?.status === 'online').length
    return { offlineAfterMs, limitMs, shownOnline, ok: offlineAfterMs.every((ms) => ms !== null && ms <= limitMs) && shownOnline === 0 }
  }
}
