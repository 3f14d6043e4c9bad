// The balancer in front of user-server instances: round-robin, and an instance that went away is
// passed over (its connections fail, so HAProxy sends the request to the other one).
import t from 'tap'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { findBinary } from '../xmpp-servers/find-binary.ts'
import { haproxyConfig, startBalancer } from './haproxy.ts'

const skip = process.env.GRIDIM_SKIP_POSTGRES === '1' ? 'GRIDIM_SKIP_POSTGRES=1' : false

function instance (name: string): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer((_req, res) => { res.end(name) })
    server.listen(0, '127.0.0.1', () => resolve(server))
  })
}

t.test('the configuration names every backend with a health check', async (t) => {
  const config = haproxyConfig(8000, ['127.0.0.1:1', '127.0.0.1:2'])
  t.match(config, /bind 127\.0\.0\.1:8000/)
  t.match(config, /server instance1 127\.0\.0\.1:1 check/)
  t.match(config, /server instance2 127\.0\.0\.1:2 check/)
  t.match(config, /option httpchk GET \/directory/)
  t.match(config, /retry-on conn-failure\n/, 'only a failed connection is retried')
  t.match(config, /timeout http-request 10s\n/, 'a header section not complete in 10 s is cut (GRIDIM-LIM-17), a silent connection too')
  t.match(config, /timeout http-keep-alive 5s\n/, 'an idle kept-alive connection is closed after 5 s (GRIDIM-LIM-19)')
})

t.test('round-robin over the instances, and on without one that stopped', { skip }, async (t) => {
  t.ok(findBinary('haproxy'), 'haproxy is installed (the pretest installs it; GRIDIM_SKIP_POSTGRES=1 skips)')
  const servers = [await instance('one'), await instance('two')]
  t.teardown(() => { for (const s of servers) { s.closeAllConnections(); s.close() } })
  const balancer = await startBalancer({ backends: servers.map((s) => `127.0.0.1:${(s.address() as AddressInfo).port}`) })
  t.teardown(balancer.stop)
  const get = async (): Promise<string> => await (await fetch(`${balancer.url}/directory`)).text()
  const first = [await get(), await get(), await get(), await get()]
  t.same(new Set(first), new Set(['one', 'two']), 'both instances answer')
  servers[0]!.closeAllConnections()
  servers[0]!.close()
  const after: string[] = []
  for (let i = 0; i < 6; i++) after.push(await get())
  t.same(after, Array(6).fill('two'), 'every request answered by the instance left')
})
