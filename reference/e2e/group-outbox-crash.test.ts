// End to end, separate processes: GRIDIM-GRP-31. The user server answers a group message, then
// dies (SIGKILL) before one destination region took it: the request to that region is held by a
// proxy in front of it and never arrives. Started again on the same --data, the user server finds
// the delivery in its group outbox once the dead process's claim lapsed and sends it; the member
// there sees the message exactly once, and so does the sender.
import t from 'tap'
import { randomUUID } from 'node:crypto'
import { connect, createServer, type Server, type Socket } from 'node:net'
import { join } from 'node:path'
import { ClientSession, is } from '../../conformance/lib/client-session.ts'
import { startProcessGrid } from './process-grid.ts'
import { startRole, type RoleProcess } from './processes.ts'

/** A free loopback port (listened on and let go). */
async function freePort (): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

/**
 * A TCP proxy to `port`. While holding, what its clients send is dropped, never forwarded (their
 * requests hang); `forwarded` counts the bytes that went through.
 */
async function proxyTo (port: number) {
  let holding = false
  let forwarded = 0
  const sockets = new Set<Socket>()
  const server: Server = createServer((client) => {
    const up = connect(port, '127.0.0.1')
    sockets.add(client)
    sockets.add(up)
    client.on('data', (chunk) => {
      if (holding) return
      forwarded += chunk.length
      up.write(chunk)
    })
    up.on('data', (chunk) => client.write(chunk))
    const close = () => { client.destroy(); up.destroy(); sockets.delete(client); sockets.delete(up) }
    client.on('close', close)
    up.on('close', close)
    client.on('error', () => {})
    up.on('error', () => {})
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    hold () { holding = true },
    release () { holding = false },
    get forwarded () { return forwarded },
    async close () {
      for (const s of sockets) s.destroy()
      await new Promise((resolve) => server.close(resolve))
    }
  }
}

t.test('kill -9 of the user server after it answered a group message: started again, it sends what no region took, seen once', async (t) => {
  const grid = await startProcessGrid({ regions: 1 })
  t.teardown(() => grid.stop())
  // B's region, reached by the user server through the proxy only (its --public-url).
  const port = await freePort()
  const proxy = await proxyTo(port)
  t.teardown(() => proxy.close())
  const regionId = randomUUID()
  const region: RoleProcess = await startRole(['region', '--user-server', grid.userServerUrl, '--admin-token', grid.adminToken, '--name', 'Behind a proxy',
    '--region-id', regionId, '--data', join(grid.dataDir, 'behind-proxy'), '--port', String(port), '--public-url', proxy.url])
  t.teardown(() => region.stop())

  const [A, B] = [await grid.createUser('Ada'), await grid.createUser('Bea')]
  await grid.admin('adminCreateFriendship', { body: { userIds: [A.userId, B.userId], rights: { ab: 1, ba: 1 } } })
  const a = await grid.login(A, 0)
  const b = await ClientSession.login(`http://127.0.0.1:${port}`, B.firstName, B.lastName, B.password)
  const { groupSessionId } = await a.call('clientStartGroupSession', { body: { participantIds: [B.userId] } })
  await b.waitFor((e) => e.type === 'groupSessionInvitation' && e.data.groupSessionId === groupSessionId, 10_000, 'B invited')
  await a.call('clientSendGroupMessage', { params: { groupSessionId }, body: { body: 'before' } })
  await b.waitFor(is.groupMessage(groupSessionId, 'before'), 10_000, 'B gets the first message as usual')

  // From now on the user server's requests to B's region hang; the answer comes, then the crash.
  proxy.hold()
  const sent = await a.call('clientSendGroupMessage', { params: { groupSessionId }, body: { body: 'answered, then the crash' } })
  t.ok(sent.messageId, 'the message was answered')
  await grid.userServer.kill()
  const forwardedBefore = proxy.forwarded
  proxy.release()

  // Same --data, same port. The dead process's rows lapse (10 s) and the new one sends them.
  const restartedAt = Date.now()
  await grid.restartUserServer()
  await b.waitFor(is.groupMessage(groupSessionId, 'answered, then the crash'), 45_000, 'B gets the message answered before the crash')
  t.ok(proxy.forwarded > forwardedBefore, 'it went through the proxy after the restart')
  t.comment(`sent again ${((Date.now() - restartedAt) / 1000).toFixed(1)} s after the restart`)
  await a.waitFor(is.groupMessage(groupSessionId, 'answered, then the crash'), 10_000, 'A, the sender, gets it too')

  // Two sweeps more: nothing comes twice.
  await new Promise((resolve) => setTimeout(resolve, 2500))
  await b.poll(0)
  await a.poll(0)
  t.equal(b.seen(is.groupMessage(groupSessionId, 'answered, then the crash')).length, 1, 'B: exactly once')
  t.equal(a.seen(is.groupMessage(groupSessionId, 'answered, then the crash')).length, 1, 'A: exactly once')
  t.equal(b.seen(is.groupMessage(groupSessionId, 'before')).length, 1, 'the earlier message was not sent again')
})
