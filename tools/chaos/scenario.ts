// The chaos run (issue 11): N sender/recipient pairs who are friends, senders on R1 and
// recipients on R2, a steady stream of instant messages, and meanwhile
//   kill -9 R2 → keep sending (stored) → its lease lapses: every sender is told its friend is
//   offline (GRIDIM-LEASE-6, no ghosts) → restart R2 → the recipients sign on again →
//   kill -9 the user server → keep sending → restart it → stop sending → drain.
// Then the books: every message a sender was told was taken must be read by its recipient
// ("delivered" survives until read, chapters 7, 8 and 10), each once after the client's
// de-duplication by messageId (GRIDIM-CLI-22). Every wait is for a condition, with a timeout.
import { ChaosClient, type ChaosUser } from './client.ts'
import { startChaosGrid, type ChaosGrid } from './grid.ts'
import { Ledger, type ChaosCounts } from './ledger.ts'
import { Traffic, type Pair } from './traffic.ts'
import { until } from './until.ts'

export type ChaosParams = {
  pairs: number
  /** Messages per second, all pairs together. */
  ratePerSecond: number
  /** Steady traffic before and after each crash, seconds. */
  phaseSeconds: number
  /** The grid's lease (admin setting): how long a dead region's users still look online. */
  leaseSeconds: number
  /** A sender gives up on a message without an outcome after this long. */
  sendDeadlineSeconds: number
  /** Pause of a recipient's client after each page of events it reads. */
  readPauseMs: number
  /** The drain ends after this long without a new message read. */
  quietSeconds: number
  log?: (line: string) => void
}

export const TEST_SIZE: ChaosParams = {
  pairs: 3, ratePerSecond: 15, phaseSeconds: 2, leaseSeconds: 10, sendDeadlineSeconds: 30, readPauseMs: 200, quietSeconds: 4
}

export type TimelineEntry = { atMs: number, event: string, begun: number }

export type PresenceCheck = {
  /** Per pair: how long after R2's kill its sender was told the recipient is offline (null: never). */
  offlineAfterMs: Array<number | null>
  /** The bound: the lease, plus GRIDIM-LEASE-6's 5 s to notice the lapse, plus 2 s to read the event. */
  limitMs: number
  /** Senders still shown their friend online when R2 came back. */
  shownOnline: number
  ok: boolean
}

export type ChaosResult = {
  params: Omit<ChaosParams, 'log'>
  counts: ChaosCounts
  timeline: TimelineEntry[]
  presence: PresenceCheck
  /** Up to 20 lost messageIds with what the sender was told. */
  lost: Array<{ messageId: string, outcome?: string, startedAtMs: number }>
  durationMs: number
}

export async function runChaos (params: ChaosParams): Promise<ChaosResult> {
  const { log = () => {}, ...shown } = params
  const started = Date.now()
  const ledger = new Ledger()
  const timeline: TimelineEntry[] = []
  let traffic: Traffic | undefined
  const mark = (event: string): void => {
    timeline.push({ atMs: Date.now() - started, event, begun: traffic?.begun ?? 0 })
    log(event)
  }
  let lastReadAt = Date.now()
  const onEvent = (event: { type: string, data: any }, client: ChaosClient): void => {
    if (event.type !== 'instantMessage') return
    lastReadAt = Date.now()
    ledger.read(client.user.userId, event.data.messageId)
  }

  const grid: ChaosGrid = await startChaosGrid({ leaseSeconds: params.leaseSeconds })
  const clients: ChaosClient[] = []
  const client = (user: ChaosUser, regionUrl: string, readPauseMs = 0): ChaosClient => {
    const c = new ChaosClient({ user, regionUrl, onEvent, readPauseMs, waitSeconds: 5 })
    clients.push(c)
    return c
  }
  try {
    mark('grid started: user server, R1 (senders), R2 (recipients)')
    const pairs: Pair[] = []
    for (let i = 0; i < params.pairs; i++) {
      const [s, r] = [await grid.createUser(`Send${i}x`), await grid.createUser(`Recv${i}x`)]
      await grid.befriend(s, r)
      pairs.push({ sender: client(s, grid.r1.url), recipient: client(r, grid.r2.url, params.readPauseMs) })
    }
    for (const c of clients) { await c.session(); c.startReading() }
    const online = (p: Pair): boolean => p.sender.lastPresence(p.recipient.user.userId)?.status === 'online'
    await until(() => pairs.every(online), 20_000, 'every sender told its recipient is online')
    mark(`${params.pairs} pairs signed on; every sender sees its recipient online`)

    traffic = new Traffic(pairs, ledger, { ratePerSecond: params.ratePerSecond, deadlineMs: params.sendDeadlineSeconds * 1000 })
    const phase = Math.max(1, Math.round(params.ratePerSecond * params.phaseSeconds))
    const t = traffic
    const sendMore = async (n: number, what: string): Promise<void> => {
      const target = t.begun + n
      await until(() => t.begun >= target, (n / params.ratePerSecond) * 1000 + 30_000, what)
    }
    traffic.start()
    mark('traffic starts')
    await sendMore(phase, 'steady traffic')

    mark('kill -9 R2')
    await grid.r2.kill()
    const killedAt = Date.now()
    const presence = await noGhosts(pairs, killedAt, params.leaseSeconds)
    mark(`every sender told its recipient is offline (${presence.ok ? 'within' : 'NOT within'} the lease + 7 s)`)
    mark('restart R2 (same id, key, data and port)')
    await grid.r2.start()
    mark('R2 ready again')
    await until(() => pairs.every((p) => p.recipient.logins >= 2), 60_000, 'every recipient signed on again at R2')
    mark('every recipient signed on again at R2')
    await sendMore(phase, 'steady traffic after R2 came back')

    mark('kill -9 the user server')
    await grid.userServer.kill()
    // Short, so that with the restart the regions' leases (renewed every third of a lease) do not
    // lapse meanwhile; if they do, sessions end and clients sign on again, which the counts survive.
    await sendMore(Math.max(1, Math.round(params.ratePerSecond * Math.min(params.phaseSeconds, params.leaseSeconds / 8))), 'traffic without the user server')
    mark('restart the user server (same data and port)')
    await grid.userServer.start()
    mark('the user server ready again')
    await sendMore(phase, 'steady traffic after the user server came back')

    mark('traffic stops; waiting for every send to get its outcome')
    await traffic.stop()
    mark('every send answered; draining')
    const quietMs = params.quietSeconds * 1000
    await until(() => (ledger.unread() === 0 && Date.now() - lastReadAt > Math.min(1000, quietMs)) || Date.now() - lastReadAt > quietMs,
      params.sendDeadlineSeconds * 1000 + quietMs + 60_000, 'the recipients to read until quiet')
    mark(ledger.unread() === 0 ? 'drained: every sent message read' : `quiet for ${params.quietSeconds} s with ${ledger.unread()} sent messages unread`)
    const again = (side: 'sender' | 'recipient'): string => {
      const at = pairs.flatMap((p) => p[side].signOns.slice(1)).sort((a, b) => a - b).map((ms) => ((ms - started) / 1000).toFixed(1))
      const why = pairs.flatMap((p) => p[side].drops)
      const shown = at.length > 6 ? [...at.slice(0, 3), '…', ...at.slice(-2)] : at
      return at.length === 0 ? '0' : `${at.length} (at ${shown.join(', ')} s; sessions dropped after ${[...new Set(why)].map((w) => `${w} ×${why.filter((x) => x === w).length}`).join(', ')})`
    }
    mark(`sign-ons after the first: senders ${again('sender')}; recipients ${again('recipient')}`)

    const counts = ledger.counts()
    const lost = ledger.lostIds().slice(0, 20).map((messageId) => {
      const r = ledger.get(messageId)!
      return { messageId, outcome: r.outcome, startedAtMs: r.startedAt - started }
    })
    return { params: shown, counts, timeline, presence, lost, durationMs: Date.now() - started }
  } finally {
    const stopping = clients.map(async (c) => await c.stop())
    await traffic?.stop()
    await grid.stop()
    await Promise.all(stopping)
  }
}

/**
 * No ghosts (GRIDIM-LEASE-6): once R2's lease has lapsed, every sender has been told its
 * recipient is offline. Waits for that (bounded) and measures how long each one took.
 */
export async function noGhosts (pairs: Pair[], killedAt: number, leaseSeconds: number): Promise<PresenceCheck> {
  const limitMs = (leaseSeconds + 7) * 1000
  const toldOffline = (p: Pair): number | null => {
    const last = p.sender.lastPresence(p.recipient.user.userId)
    return last !== undefined && last.status === 'offline' && last.at >= killedAt ? last.at - killedAt : null
  }
  await until(() => pairs.every((p) => toldOffline(p) !== null), limitMs + 5000, 'every sender told its recipient is offline').catch(() => {})
  const offlineAfterMs = pairs.map(toldOffline)
  const shownOnline = pairs.filter((p) => p.sender.lastPresence(p.recipient.user.userId)?.status === 'online').length
  return { offlineAfterMs, limitMs, shownOnline, ok: offlineAfterMs.every((ms) => ms !== null && ms <= limitMs) && shownOnline === 0 }
}
