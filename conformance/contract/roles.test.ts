// originOf: the origin new URL gives, from a cache keyed by the URL up to its path.
import t from 'tap'
import { originOf } from './roles.ts'

t.test('originOf gives what new URL(url).origin gives', async (t) => {
  const urls = [
    'http://127.0.0.1:8000/regions/r1/lease?x=1',
    'http://127.0.0.1:8000',
    'http://127.0.0.1:8000?after=/a/b',
    'HTTP://Example.COM:80/path',
    'https://user:pw@example.com:443/p#f',
    'http://[::1]:9000/x',
    'http://host\\\\path/more',
    'http://host//double',
    'http:/single-slash/x',
    'http:/single-slash/a//b/c',
    'ws://127.0.0.1:5280/xmpp-websocket',
    'blob:https://example.com/uuid'
  ]
  for (const url of urls) {
    t.equal(originOf(url), new URL(url).origin, url)
    t.equal(originOf(url), new URL(url).origin, `${url}, from the cache`)
  }
  t.throws(() => originOf('not a url'), 'what new URL refuses is refused')
})
