// GRIDIM-XMPP-57: which pages may use the gateway's client endpoints, as a table.
import t from 'tap'
import { OriginPolicy, isLoopbackHost, parseAllowedOrigins } from './origin-policy.ts'

const HOST = 'gateway.example:5280'

t.test('GRIDIM-XMPP-57: configured origins, the loopback default, same-origin pages and requests without Origin', async (t) => {
  const configured = new OriginPolicy({ allow: ['https://chat.example.org', 'http://127.0.0.1:8080'], loopback: true })
  const loopback = new OriginPolicy({ loopback: true })
  const closed = new OriginPolicy({ loopback: false })
  const any = new OriginPolicy({ allow: ['*'] })
  const cases: Array<[OriginPolicy, string | undefined, string | undefined]> = [
    // [policy, Origin, the Access-Control-Allow-Origin it gets (undefined: refused or none needed)]
    [configured, 'https://chat.example.org', 'https://chat.example.org'],
    [configured, 'http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
    [configured, 'http://localhost:3000', undefined], // a configured list replaces the loopback default
    [loopback, 'http://localhost:3000', 'http://localhost:3000'],
    [loopback, 'http://127.0.0.1:1', 'http://127.0.0.1:1'],
    [loopback, 'http://[::1]:8080', 'http://[::1]:8080'],
    [loopback, 'https://localhost', 'https://localhost'],
    [loopback, 'http://localhost.evil.example', undefined],
    [loopback, 'null', undefined],
    [closed, 'http://localhost:3000', undefined],
    [closed, 'https://gateway.example:5280', 'https://gateway.example:5280'], // same-origin
    [any, 'https://anywhere.example', '*'],
    [any, 'null', '*']
  ]
  for (const [policy, origin, expected] of cases) {
    const decision = policy.decide(origin, HOST)
    t.equal(decision.allowed ? decision.allowOrigin : undefined, expected, `${String(origin)} → ${String(expected)}`)
  }
  t.same(closed.decide(undefined, HOST), { allowed: true, allowOrigin: undefined }, 'no Origin: not a page\'s cross-origin request, never refused for it')
  t.same(closed.decide('https://other.example', undefined), { allowed: false })
})

t.test('configured origins are read from repeated and comma-separated values; anything else fails at start-up', async (t) => {
  t.same(parseAllowedOrigins(['https://a.example, http://B.example:81/', '*', '']), ['https://a.example', 'http://b.example:81', '*'])
  for (const bad of ['a.example', 'ftp://a.example', 'https://a.example/path', 'https://user@a.example', 'https://a.example?x=1', 'https://a.example/#x']) {
    t.throws(() => parseAllowedOrigins([bad]), { name: 'TypeError', message: /is not an origin/ }, bad)
  }
  t.throws(() => new OriginPolicy({ allow: ['nope'] }), TypeError)
})

t.test('loopback hosts', async (t) => {
  t.same(['127.0.0.1', '::1', '[::1]', 'LOCALHOST', '0.0.0.0', 'example.org'].map(isLoopbackHost), [true, true, true, true, false, false])
})
