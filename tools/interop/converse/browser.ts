// Debian's Chromium, headless, driven by playwright-core over CDP — never a downloaded browser.
// A fresh profile per run, and the page may reach loopback only (everything the test needs is
// there; Converse's login page would otherwise fetch logos from conversejs.org).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext } from 'playwright-core'
import { findBinary } from '../../xmpp-servers/find-binary.ts'

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']

/**
 * Why the browser tests cannot run: missing Chromium is a failure (like a missing Prosody),
 * unless the interop tests were skipped on request (GRIDIM_SKIP_XMPP_SERVERS=1).
 */
export function chromiumOrSkip (env: NodeJS.ProcessEnv = process.env, find: (name: string, env: NodeJS.ProcessEnv) => string | null = findBinary): { path: string } | { skip: string } | { missing: string } {
  if (env.GRIDIM_SKIP_XMPP_SERVERS === '1') return { skip: 'GRIDIM_SKIP_XMPP_SERVERS=1: interop tests skipped on request' }
  const path = find('chromium', env)
  if (path !== null) return { path }
  return { missing: 'Debian chromium is not installed: sudo apt-get install -y chromium (or GRIDIM_SKIP_XMPP_SERVERS=1 to skip the interop tests)' }
}

export interface Browser { context: BrowserContext, version: string, close: () => Promise<void> }

export async function launchChromium (executablePath: string): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'gridim-chromium-'))
  let context: BrowserContext
  try {
    context = await chromium.launchPersistentContext(profile, { executablePath, args: FLAGS, viewport: { width: 1280, height: 800 } })
  } catch (err) {
    rmSync(profile, { recursive: true, force: true })
    throw err
  }
  await context.route('**/*', async (route) => {
    const host = new URL(route.request().url()).hostname
    if (host === '127.0.0.1' || host === 'localhost' || host === '[::1]') await route.continue()
    else await route.abort('blockedbyclient')
  })
  return {
    context,
    version: context.browser()?.version() ?? 'unknown',
    close: async () => {
      await context.close()
      rmSync(profile, { recursive: true, force: true })
    }
  }
}
