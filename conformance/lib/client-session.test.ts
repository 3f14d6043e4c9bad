// A wait that times out says what the client did see (issue 14); a refused poll is named as the
// cause instead of a missing event.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import { ClientSession, describeEvent, is } from './client-session.ts'

type Page = { status: number, body: unknown }

/** A region's client interface that answers polls from a script, then empty pages. */
async function fakeRegion (t: { teardown: (fn: () => void) => void }, pages: Page[]): Promise<string> {
  const server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json')
    if (req.url === '/client/login') { res.end(JSON.stringify({ sessionId: 's', sessionSecret: 'secret', userId: 'u-b', friends: [], region: {} })); return }
    const page = pages.shift() ?? { status: 200, body: { events: [], cursor: 'c' } }
    res.statusCode = page.status
    res.end(JSON.stringify(page.body))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => { server.closeAllConnections(); server.close() })
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

const presence = (id: string, userId: string): unknown => ({ id, type: 'presence', at: '2026-12-02T00:00:00Z', data: { userId, status: 'online' } })

t.test('a timed-out wait names how many events the client saw and the last of them', async (t) => {
  const url = await fakeRegion(t, [{ status: 200, body: { events: [presence('1', 'u-a'), presence('2', 'u-c')], cursor: '2' } }])
  const b = await ClientSession.login(url, 'B', 'X', 'pw')
  b.actor = 'B'
  await t.rejects(b.waitFor(is.type('chatState'), 300, 'B chatState {}'),
    { message: 'timed out after 300 ms waiting for B chatState {}; B saw 2 events (2 during the wait), the last 2: presence {"userId":"u-a","status":"online"}, presence {"userId":"u-c","status":"online"}' })
})

t.test('a client that saw nothing says so', async (t) => {
  const url = await fakeRegion(t, [])
  const b = await ClientSession.login(url, 'B', 'X', 'pw')
  await t.rejects(b.waitFor(is.type('chatState'), 100), { message: /waiting for event; the client saw no event at all$/ })
})

t.test('a refused poll is the cause the failure names, not a missing event', async (t) => {
  const url = await fakeRegion(t, [{ status: 400, body: { type: 'about:blank', title: 'invalid', status: 400, code: 'invalid-request', detail: 'unknown cursor' } }])
  const b = await ClientSession.login(url, 'B', 'X', 'pw')
  b.actor = 'B'
  await t.rejects(b.waitFor(is.type('chatState'), 5000, 'B chatState {}'), { message: /^the event log could not be read while waiting for B chatState \{\}: .*unknown cursor; B saw no event at all$/ })
})

t.test('a long event is cut short', async (t) => {
  const text = describeEvent({ id: '1', type: 'instantMessage', at: 'x', data: { body: 'x'.repeat(500) } } as never)
  t.equal(text.length, 'instantMessage '.length + 160)
  t.match(text, /\.\.\.$/)
})
