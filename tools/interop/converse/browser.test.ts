// A missing Chromium fails the Converse.js interop test unless the interop tests are skipped on request.
import t from 'tap'
import { chromiumOrSkip } from './browser.ts'

t.test('chromium found: its path', async (t) => {
  t.same(chromiumOrSkip({}, () => '/usr/bin/chromium'), { path: '/usr/bin/chromium' })
})

t.test('chromium missing: a failure naming the package and the opt-out, never a silent skip', async (t) => {
  const answer = chromiumOrSkip({}, () => null)
  t.ok('missing' in answer)
  t.match(answer, { missing: /apt-get install -y chromium.*GRIDIM_SKIP_XMPP_SERVERS=1/ })
})

t.test('GRIDIM_SKIP_XMPP_SERVERS=1: skipped on request, whatever is installed', async (t) => {
  t.match(chromiumOrSkip({ GRIDIM_SKIP_XMPP_SERVERS: '1' }, () => '/usr/bin/chromium'), { skip: /GRIDIM_SKIP_XMPP_SERVERS=1/ })
})
