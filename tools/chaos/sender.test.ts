// A sender under failures, against a stand-in region on loopback that answers what the test
// scripts: the same messageId is repeated after 503 and after a dead session (GRIDIM-CLI-17),
// and a refusal ends the message as an error, never as sent.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import t, { type Test } from 'tap'
import { ChaosClient } from './client.ts'
import { Ledger } from './ledger.ts'
import { sendInstantMessage } from './sender.ts'

type Answer = { status: number, body: unknown }
const problem = (status: number, code: string): Answer => ({ status, body: { type: `https://gridim.example/problems/${code}`, title: code, status, code } })

/** A stand-in region: logins always succeed; sends get the scripted answers in turn. */
async function standIn (t: Test, sends: Answer[]) {
  const seen = { logins: 0, messageIds: [] as string[], secrets: [] as string[] }
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let text = ''
    req.on('data', (chunk) => { text += chunk })
    req.on('end', () => {
      const answer = (a: Answer): void => { res.writeHead(a.status, { 'content-type': 'application/json' }).end(JSON.stringify(a.body)) }
      if (req.url === '/client/login') {
        seen.logins++
        return answer({ status: 200, body: { sessionId: 's', sessionSecret: `secret-${seen.logins}`, userId: 'u', name: 'U', friends: [], regionId: 'r' } })
      }
      seen.messageIds.push(JSON.parse(text).messageId)
      seen.secrets.push(req.headers.authorization ?? '')
      answer(sends.shift() ?? problem(500, 'internal'))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const client = new ChaosClient({ user: { firstName: 'A', lastName: 'B', password: 'p', userId: 'u' }, regionUrl: url })
  return { seen, client }
}

t.test('after 503 and after 401 the same messageId is sent again, until an outcome', async (t) => {
  const { seen, client } = await standIn(t, [problem(503, 'unavailable'), problem(401, 'unauthenticated'), { status: 200, body: { messageId: 'x', outcome: 'stored' } }])
  const ledger = new Ledger()
  await sendInstantMessage(client, ledger, 'v', 'hello', { deadlineMs: 10_000 })
  t.match(ledger.counts(), { sent: 1, outcomes: { stored: 1 }, retries: 2, errors: 0 })
  t.equal(new Set(seen.messageIds).size, 1, 'one messageId for all three requests')
  t.equal(seen.logins, 2, 'logged in again after the 401')
  t.same(seen.secrets, ['Bearer secret-1', 'Bearer secret-1', 'Bearer secret-2'])
})

t.test('a refusal ends the message as an error with its code', async (t) => {
  const { client } = await standIn(t, [problem(404, 'unknown-user')])
  const ledger = new Ledger()
  await sendInstantMessage(client, ledger, 'v', 'hello', { deadlineMs: 10_000 })
  t.match(ledger.counts(), { sent: 0, errors: 1, errorCodes: { 'unknown-user': 1 } })
})

t.test('no outcome by the deadline ends the message as an error', async (t) => {
  const { client } = await standIn(t, [])
  const ledger = new Ledger()
  await sendInstantMessage(client, ledger, 'v', 'hello', { deadlineMs: 300 })
  t.match(ledger.counts(), { sent: 0, errors: 1, errorCodes: { deadline: 1 } })
  t.ok(ledger.counts().retries >= 1)
})
