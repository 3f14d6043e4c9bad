// GRIDIM-ERR-6: what counts as revealing the grid's insides in an error answer.
import t from 'tap'
import type { Target } from '../target/target.ts'
import { internalAddresses, leakIn } from './discreet.ts'

const target = (links?: Target['links']): Target => ({
  name: 'x', userServerUrl: 'http://127.0.0.1:7000', adminToken: '', capabilities: new Set(),
  regions: [{ name: 'R1', url: 'http://127.0.0.1:7001' }, { name: 'R2', url: 'http://127.0.0.1:7002' }],
  ...(links === undefined ? {} : { links }),
  close: async () => {}
})

t.test('the user server\'s address, and where roles listen behind the runner\'s proxies', async (t) => {
  t.same(internalAddresses(target()), ['127.0.0.1:7000'], 'regions without a proxy: only the user server')
  const behind: Record<string, string> = { 'http://127.0.0.1:7000': 'http://127.0.0.1:8000', 'http://127.0.0.1:7001': 'http://127.0.0.1:8001' }
  const links = { directUrl: (url: string) => behind[url] ?? url } as unknown as Target['links']
  t.same(internalAddresses(target(links)), ['127.0.0.1:7000', '127.0.0.1:8000', '127.0.0.1:8001'])
})

t.test('what reveals, and what does not', async (t) => {
  const addresses = ['127.0.0.1:7000']
  t.equal(leakIn({ code: 'unavailable', title: 'Temporarily unavailable; retry later' }, addresses), undefined)
  t.equal(leakIn({ detail: 'locateUser to 127.0.0.1:7000 failed: socket hang up' }, addresses), 'the address of an internal service (127.0.0.1:7000)')
  t.equal(leakIn({ detail: 'Error: boom\n    at handler (x.ts:1:1)' }, addresses), 'a stack trace')
  t.equal(leakIn({ detail: 'cannot open /srv/gridim/data/user-server.sqlite' }, addresses), 'a file path')
  t.equal(leakIn('SELECT * FROM users WHERE id = 1', addresses), 'a query')
  t.equal(leakIn(undefined, addresses), undefined)
  t.equal(leakIn({ instance: '/client/instant-messages' }, addresses), undefined, 'the request path is the caller\'s own')
})
