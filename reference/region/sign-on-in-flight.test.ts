// GRIDIM-SIGN-22: a message for a user whose sign-on is in flight is answered only once the
// sign-on is over — `delivered` into the new session, or `agent-not-here` when it failed, so
// that the sender stores it. Before, it was answered `delivered` into a log no session ever
// had, and stayed in the region's store unread and never returned.
import t from 'tap'
import { GridImError } from '../lib/errors/index.ts'
import { REGION_URL, uuid } from './test-support.ts'
import { testRegion, type TestRegion } from './test-region.ts'
import type { InstantMessage } from '../lib/contract/types.ts'

const ADA = { firstName: 'Ada', lastName: 'Lovelace', password: 'analytical-engine-1843' }

/** Resolves when `check` holds, polling every 2 ms for at most 5 s. */
async function until (check: () => boolean): Promise<void> {
  const end = Date.now() + 5000
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out')
    await new Promise((resolve) => setTimeout(resolve, 2))
  }
}

/**
 * A user server that knows Ada and holds signOn until `finish` is called with its outcome;
 * `parked` resolves once a delivery for Ada has asked whether her sign-on is in flight.
 */
function signOnHeld (g: TestRegion) {
  const userId = uuid()
  const sessionId = uuid()
  let finish: (ok: boolean) => void = () => {}
  const outcome = new Promise<boolean>((resolve) => { finish = resolve })
  let asked = false
  const signingOn = g.region.agents.signingOn.bind(g.region.agents)
  g.region.agents.signingOn = (id) => {
    if (id === userId) asked = true
    return signingOn(id)
  }
  g.handlers.lookupUser = () => ({ userId, name: 'Ada Lovelace', firstName: 'Ada', lastName: 'Lovelace' })
  g.handlers.signOn = async () => {
    if (!await outcome) throw new GridImError('unavailable', 'the user server could not commit the session')
    g.placeAt(userId, 'here')
    return { sessionId, sessionSecret: 'z'.repeat(43), userId, name: 'Ada Lovelace', friends: [], offlineMessages: [], moreOfflineMessages: false }
  }
  const message = (): InstantMessage => ({ messageId: uuid(), fromUserId: uuid(), fromName: 'Cyd Carter', toUserId: userId, body: 'Tea?', sentAt: '2024-11-24T09:15:00Z' })
  return { userId, sessionId, finish, message, asked: () => asked }
}

const login = async (g: TestRegion) => await g.region.server.inject({ method: 'POST', url: `${REGION_URL}/client/login`, payload: ADA })

/** Starts a login and a delivery from the other region, and waits until the delivery is in (or answered). */
async function deliveryDuringSignOn (g: TestRegion, held: ReturnType<typeof signOnHeld>, im: InstantMessage) {
  g.placeAt(im.fromUserId, 'other')
  const loggingIn = login(g)
  await until(() => g.peer.callsOf('signOn').length === 1)
  let answered = false
  const delivering = g.fromOther('POST', '/instant-messages', im).finally(() => { answered = true })
  await until(() => held.asked() || answered)
  return { loggingIn, delivering }
}

t.test('GRIDIM-SIGN-22: a message sent while the sign-on is in flight is answered agent-not-here when the sign-on fails, and nothing is kept', async (t) => {
  const g = await testRegion(t)
  const held = signOnHeld(g)
  const im = held.message()
  const { loggingIn, delivering } = await deliveryDuringSignOn(g, held, im)
  held.finish(false)
  t.equal((await loggingIn).statusCode, 503, 'the login fails')
  const res = await delivering
  t.equal(res.statusCode, 404)
  t.equal(JSON.parse(res.payload).code, 'agent-not-here', 'so the sender looks up again and stores it (GRIDIM-IM-4)')
  t.equal(g.region.context.messages.stateOf(im.messageId), undefined, 'nothing is kept for a session that never existed')
  t.equal(g.region.agents.signingOn(held.userId), undefined, 'no sign-on is left in flight')
})

t.test('GRIDIM-SIGN-5, GRIDIM-SIGN-22: when the sign-on succeeds, the held message is delivered into the new session', async (t) => {
  const g = await testRegion(t)
  const held = signOnHeld(g)
  const im = held.message()
  const { loggingIn, delivering } = await deliveryDuringSignOn(g, held, im)
  held.finish(true)
  t.equal((await loggingIn).statusCode, 200)
  const res = await delivering
  t.same(JSON.parse(res.payload), { status: 'delivered' }, 'not refused as agent-not-here')
  t.same(g.region.context.messages.stateOf(im.messageId), { state: 'unread', sessionId: held.sessionId })
  const events = await g.asClient('z'.repeat(43), 'GET', '/client/events')
  t.same(JSON.parse(events.payload).events.map((e: { data: { messageId: string } }) => e.data.messageId), [im.messageId])
})

t.test('GRIDIM-SIGN-22: a sender on this region waits for the sign-on too, then stores what cannot be delivered', async (t) => {
  const g = await testRegion(t)
  const held = signOnHeld(g)
  const cyd = g.admit('Cyd Carter')
  g.handlers.storeOfflineMessage = () => ({ stored: true })
  const loggingIn = login(g)
  await until(() => g.peer.callsOf('signOn').length === 1)
  let answered = false
  const sending = g.asClient(cyd.sessionSecret, 'POST', '/client/instant-messages', { toUserId: held.userId, body: 'Tea?' }).finally(() => { answered = true })
  await until(() => held.asked() || answered)
  g.locations.delete(held.userId)
  held.finish(false)
  await loggingIn
  t.equal(JSON.parse((await sending).payload).outcome, 'stored', 'kept by the user server for her next sign-on')
  t.equal(g.peer.callsOf('storeOfflineMessage').length, 1)
})

t.test('the deliberate fault delivered-before-sign-on answers delivered and keeps the message for no session (for conformance/variants only)', async (t) => {
  const g = await testRegion(t, { faults: new Set(['delivered-before-sign-on']) })
  const held = signOnHeld(g)
  const im = held.message()
  const { loggingIn, delivering } = await deliveryDuringSignOn(g, held, im)
  t.same(JSON.parse((await delivering).payload), { status: 'delivered' })
  held.finish(false)
  await loggingIn
  t.same(g.region.context.messages.stateOf(im.messageId), { state: 'unread', sessionId: '' }, 'lost: no session will read or return it')
})
