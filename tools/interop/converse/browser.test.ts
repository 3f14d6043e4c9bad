// A missing Chromium fails the Converse.js interop test unless the interop tests are skipped on request.
import t from 'tap'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromiumOrSkip, launchChromium } from './browser.ts'

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

t.test('a browser that does not start: the error, and no profile left behind', async (t) => {
  // A temp folder of its own (os.tmpdir() reads TMPDIR), so other tests' profiles do not count.
  const root = mkdtempSync(join(tmpdir(), 'gridim-browser-test-'))
  const saved = process.env.TMPDIR
  process.env.TMPDIR = root
  t.teardown(() => {
    if (saved === undefined) delete process.env.TMPDIR
    else process.env.TMPDIR = saved
    rmSync(root, { recursive: true, force: true })
  })
  await t.rejects(launchChromium('/nonexistent/chromium'))
  t.same(readdirSync(root).filter((f) => f.startsWith('gridim-chromium-')), [], 'the profile is removed (playwright may leave its own artifacts folder, removed with root)')
})
