// Server-sent events over a real socket on 127.0.0.1 (inject() buffers whole responses).
import t from 'tap'
import { bearer, uuid } from './test-support.ts'
import { testRegion } from './test-region.ts'
import { formatEvent } from './sse.ts'

const presence = (name: string) => ({ noticeId: uuid(), userId: uuid(), name, status: 'online' as const })

/** Reads the stream until `done` says so, or fails after `ms`. */
async function readUntil (body: ReadableStream<Uint8Array>, done: (text: string) => boolean, ms = 5000): Promise<string> {
  const reader = body.getReader()
  const decoder = new TextDecoder()
  let text = ''
  const timer = setTimeout(() => { void reader.cancel() }, ms)
  try {
    while (!done(text)) {
      const { value, done: ended } = await reader.read()
      if (ended) break
      text += decoder.decode(value, { stream: true })
    }
  } finally {
    clearTimeout(timer)
    reader.releaseLock()
  }
  return text
}

const eventIds = (text: string): string[] => [...text.matchAll(/^id: (\d+)$/gm)].map((m) => m[1]!)

t.test('GRIDIM-CLI-13, GRIDIM-CLI-14: the stream resumes after Last-Event-ID and then sends events live', async (t) => {
  const g = await testRegion(t, { port: 0, host: '127.0.0.1', heartbeatSeconds: 0.2 })
  await g.region.server.start()
  const base = g.region.server.info.uri
  const ada = g.admit()
  const [a, b, c] = ['Bea One', 'Bea Two', 'Bea Three'].map((name) => ada.log.append('presence', presence(name)))

  const controller = new AbortController()
  const res = await fetch(`${base}/client/events/stream`, { headers: { ...bearer(ada.sessionSecret), 'last-event-id': a!.id }, signal: controller.signal })
  t.equal(res.status, 200)
  t.match(res.headers.get('content-type'), /^text\/event-stream/)
  const backlog = await readUntil(res.body!, (text) => eventIds(text).length >= 2)
  t.same(eventIds(backlog), [b!.id, c!.id], 'only what came after Last-Event-ID')
  t.ok(backlog.includes(formatEvent(b!)), 'id, event and one data line of the whole ClientEvent')

  const d = ada.log.append('presence', presence('Bea Four'))
  const live = await readUntil(res.body!, (text) => text.includes(`id: ${d.id}`))
  t.ok(live.includes(`event: presence\ndata: ${JSON.stringify(d)}\n\n`), 'a new event arrives at once')
  const quiet = await readUntil(res.body!, (text) => text.includes(': keep-alive'))
  t.ok(quiet.includes(': keep-alive\n\n'), 'GRIDIM-CLI-15: a comment keeps the idle stream alive')
  t.equal(ada.streams, 1)

  controller.abort()
  for (let i = 0; i < 50 && ada.streams > 0; i++) await new Promise((resolve) => setTimeout(resolve, 20))
  t.equal(ada.streams, 0, 'the stream is closed when the client goes away')
})

t.test('GRIDIM-CLI-16: ending the session ends its event streams', async (t) => {
  const g = await testRegion(t, { port: 0, host: '127.0.0.1' })
  await g.region.server.start()
  const ada = g.admit()
  const res = await fetch(`${g.region.server.info.uri}/client/events/stream`, { headers: bearer(ada.sessionSecret), signal: AbortSignal.timeout(5000) })
  const reading = readUntil(res.body!, () => false)
  await new Promise((resolve) => setTimeout(resolve, 50))
  g.region.agents.drop(ada)
  const text = await reading
  t.match(text, /^: stream open/, 'the stream ended cleanly rather than timing out')
  t.equal(ada.streams, 0)
})
