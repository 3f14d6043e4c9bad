import t from 'tap'
import { uuid } from './test-support.ts'
import { testRegion } from './test-region.ts'

const presence = () => ({ noticeId: uuid(), userId: uuid(), name: 'Cyd Carter', status: 'online' as const })

t.test('GRIDIM-CLI-7, GRIDIM-CLI-8: events are listed after a cursor and stay for the next read', async (t) => {
  const g = await testRegion(t)
  const ada = g.admit()
  const first = ada.log.append('presence', presence())
  ada.log.append('presence', presence())
  const page = JSON.parse((await g.asClient(ada.sessionSecret, 'GET', '/client/events')).payload)
  t.equal(page.events.length, 2)
  t.equal(page.cursor, page.events[1].id)
  const again = JSON.parse((await g.asClient(ada.sessionSecret, 'GET', `/client/events?after=${first.id}`)).payload)
  t.same(again.events, [page.events[1]])
  const none = JSON.parse((await g.asClient(ada.sessionSecret, 'GET', `/client/events?after=${page.cursor}`)).payload)
  t.same(none, { events: [], cursor: page.cursor })
  const empty = g.admit('Cyd Carter')
  t.same(JSON.parse((await g.asClient(empty.sessionSecret, 'GET', '/client/events')).payload), { events: [], cursor: '0' })
})

t.test('GRIDIM-CLI-9: a long poll answers as soon as an event is appended', async (t) => {
  const g = await testRegion(t)
  const ada = g.admit()
  const started = Date.now()
  const poll = g.asClient(ada.sessionSecret, 'GET', '/client/events?wait=10')
  await new Promise((resolve) => setTimeout(resolve, 50))
  ada.log.append('presence', presence())
  const res = JSON.parse((await poll).payload)
  t.equal(res.events.length, 1)
  t.ok(Date.now() - started < 5000, 'long before wait ran out')

  const quiet = Date.now()
  const timedOut = JSON.parse((await g.asClient(ada.sessionSecret, 'GET', `/client/events?after=${res.cursor}&wait=1`)).payload)
  t.same(timedOut.events, [])
  t.ok(Date.now() - quiet >= 900, 'held for the wait when nothing comes')
})

t.test('GRIDIM-CLI-16: ending the session answers a pending long poll', async (t) => {
  const g = await testRegion(t)
  const ada = g.admit()
  const poll = g.asClient(ada.sessionSecret, 'GET', '/client/events?wait=30')
  await new Promise((resolve) => setTimeout(resolve, 50))
  g.region.agents.drop(ada)
  t.equal((await poll).statusCode, 200)
})

t.test('GRIDIM-CLI-12, GRIDIM-LIM-5: unknown cursors and out-of-range waits are refused', async (t) => {
  const g = await testRegion(t)
  const ada = g.admit()
  ada.log.append('presence', presence())
  for (const query of ['after=12345', 'after=abc', 'wait=31', 'wait=-1', 'wait=soon']) {
    const res = await g.asClient(ada.sessionSecret, 'GET', `/client/events?${query}`)
    t.equal(res.statusCode, 400, query)
    t.equal(JSON.parse(res.payload).code, 'invalid-request', query)
  }
  const stream = await g.asClient(ada.sessionSecret, 'GET', '/client/events/stream', undefined, { 'last-event-id': '999' })
  t.equal(stream.statusCode, 400, 'an unknown Last-Event-ID too')
})
