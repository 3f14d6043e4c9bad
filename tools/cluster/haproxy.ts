// A real load balancer in front of several user-server instances (issue 16): HAProxy from
// Debian, with a configuration written to a temporary directory, listening on a free loopback
// port. Requests go round-robin; an instance that stops answering its health check
// (`GET /directory`, three misses a second apart) is taken out, and a request whose connection to an
// instance failed is sent to another one — only then: a request an instance may have begun to
// handle is never sent twice (its signature's nonce would be refused as a replay anyway).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { findBinary } from '../xmpp-servers/find-binary.ts'
import { freePorts } from '../xmpp-servers/free-port.ts'
import { ServerProcess } from '../xmpp-servers/server-process.ts'
import { waitForPorts } from '../xmpp-servers/wait-port.ts'

export type Balancer = {
  /** The base URL regions use: every instance's `publicUrl` (GRIDIM-SEC-4). */
  url: string
  port: number
  pid: number
  stop: () => Promise<void>
}

export type BalancerOptions = {
  /** host:port of each instance. */
  backends: readonly string[]
  /** A port chosen beforehand (the instances must know the URL before the balancer starts); default a free one. */
  port?: number
  /** Upper bound for a request an instance takes to answer (GRIDIM-LIM-18 allows 60 s). */
  serverTimeoutMs?: number
}

export const HAPROXY_MISSING = 'HAProxy is not installed: apt-get install -y haproxy (or GRIDIM_SKIP_POSTGRES=1 to skip the multi-instance tests)'

/** The configuration for `backends`, listening on 127.0.0.1:port. */
export function haproxyConfig (port: number, backends: readonly string[], serverTimeoutMs = 65_000): string {
  return [
    'global',
    '  maxconn 4000',
    'defaults',
    '  mode http',
    '  timeout connect 2s',
    `  timeout client ${serverTimeoutMs}ms`,
    `  timeout server ${serverTimeoutMs}ms`,
    // The balancer is what callers see as the user server, so it keeps chapter 13's connection
    // timers (GRIDIM-LIM-17, -19): a header section not complete 10 s after the connection opened
    // or the last answer, a kept-alive connection idle 5 s, is closed — the reference's own
    // defaults. Without them a silent connection or a slowloris stayed open for `timeout client`.
    '  timeout http-request 10s',
    '  timeout http-keep-alive 5s',
    // Only a connection that failed is tried again, on another instance: the request never reached one.
    '  retries 3',
    '  retry-on conn-failure',
    '  option redispatch 1',
    'frontend user_server',
    `  bind 127.0.0.1:${port}`,
    '  default_backend instances',
    'backend instances',
    '  balance roundrobin',
    '  option httpchk GET /directory',
    '  http-check expect status 200',
    // A dead instance refuses connections, which the retry above passes over at once; the check
    // only stops sending it new ones. So it may be patient with a busy instance (a 2-core box
    // under a sign-on storm answered a check late, and two misses took both instances out: 503).
    '  timeout check 2s',
    '  default-server inter 1s fastinter 500ms downinter 1s fall 3 rise 1',
    ...backends.map((b, i) => `  server instance${i + 1} ${b} check`),
    ''
  ].join('\n')
}

export async function startBalancer ({ backends, port, serverTimeoutMs }: BalancerOptions): Promise<Balancer> {
  const haproxy = findBinary('haproxy')
  if (haproxy === null) throw new Error(HAPROXY_MISSING)
  const listenPort = port ?? (await freePorts(1))[0]!
  const dir = mkdtempSync(join(tmpdir(), 'gridim-haproxy-'))
  const config = join(dir, 'haproxy.cfg')
  writeFileSync(config, haproxyConfig(listenPort, backends, serverTimeoutMs))
  // -db: stay in the foreground, so the process we started is the one we stop.
  const proxy = new ServerProcess(haproxy, ['-db', '-f', config])
  try {
    await waitForPorts([listenPort], 10_000, () => proxy.exited)
  } catch (error) {
    await proxy.stop()
    rmSync(dir, { recursive: true, force: true })
    throw error
  }
  return {
    url: `http://127.0.0.1:${listenPort}`,
    port: listenPort,
    pid: proxy.child.pid!,
    stop: async () => {
      await proxy.stop()
      rmSync(dir, { recursive: true, force: true })
    }
  }
}
