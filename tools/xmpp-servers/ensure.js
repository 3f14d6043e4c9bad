#!/usr/bin/env node
// pretest: make sure what the interop tests run is installed — the real XMPP servers (Prosody,
// ejabberd) and the outside clients (slixmpp for Debian's python3, sendxmpp, Chromium for
// Converse.js) — and what the multi-instance user server's tests run: PostgreSQL and HAProxy
// (issue 16). One list, here. Plain JavaScript on purpose: it runs before anything else is
// known to work.
//
// - all found: nothing to do;
// - missing, and we are root with apt-get: install them from Debian's packages;
// - missing otherwise: stop, printing the exact command to run.
// GRIDIM_SKIP_XMPP_SERVERS=1 and GRIDIM_SKIP_POSTGRES=1 are the explicit opt-outs (those tests
// then report a skip); CI never sets them.
import { execFileSync, spawnSync } from 'node:child_process'
import { accessSync, constants, readdirSync } from 'node:fs'

const XMPP_PACKAGES = ['prosody', 'ejabberd', 'python3-slixmpp', 'sendxmpp', 'chromium']
const POSTGRES_PACKAGES = ['postgresql', 'haproxy']
const BINARIES = { prosody: 'prosody', ejabberd: 'ejabberdctl', sendxmpp: 'sendxmpp', chromium: 'chromium', haproxy: 'haproxy' }
/** Debian's interpreter, the one python3-slixmpp installs into (python3 on PATH may be another). */
const DEBIAN_PYTHON = '/usr/bin/python3'
const SEARCH_PATH = ['/usr/bin', '/usr/sbin', '/usr/local/bin', '/usr/local/sbin']

export function findBinary (name, env = process.env) {
  const dirs = [...(env.PATH ?? '').split(':').filter(Boolean), ...SEARCH_PATH]
  for (const dir of dirs) {
    try {
      accessSync(`${dir}/${name}`, constants.X_OK)
      return `${dir}/${name}`
    } catch {}
  }
  return null
}

/** Debian keeps PostgreSQL's server binaries off PATH, under /usr/lib/postgresql/<major>/bin. */
function postgresInstalled () {
  try {
    return readdirSync('/usr/lib/postgresql').some((major) => {
      try {
        accessSync(`/usr/lib/postgresql/${major}/bin/initdb`, constants.X_OK)
        return true
      } catch { return false }
    })
  } catch { return false }
}

function installed (pkg) {
  if (pkg === 'postgresql') return postgresInstalled()
  if (pkg === 'python3-slixmpp') return spawnSync(DEBIAN_PYTHON, ['-c', 'import slixmpp'], { stdio: 'ignore' }).status === 0
  return findBinary(BINARIES[pkg]) !== null
}

function wantedPackages (env = process.env) {
  return [
    ...(env.GRIDIM_SKIP_XMPP_SERVERS === '1' ? [] : XMPP_PACKAGES),
    ...(env.GRIDIM_SKIP_POSTGRES === '1' ? [] : POSTGRES_PACKAGES)
  ]
}

function missingPackages () {
  return wantedPackages().filter((pkg) => !installed(pkg))
}

function installCommand (missing) {
  return `sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y ${missing.join(' ')}`
}

function main () {
  if (process.env.GRIDIM_SKIP_XMPP_SERVERS === '1') {
    console.log('gridim: GRIDIM_SKIP_XMPP_SERVERS=1 — the interop tests (Prosody, ejabberd, slixmpp, sendxmpp, Converse.js in Chromium) will be skipped.')
  }
  if (process.env.GRIDIM_SKIP_POSTGRES === '1') {
    console.log('gridim: GRIDIM_SKIP_POSTGRES=1 — the PostgreSQL and multi-instance tests (PostgreSQL, HAProxy) will be skipped.')
  }
  const missing = missingPackages()
  if (missing.length === 0) return 0

  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0
  const aptGet = findBinary('apt-get')
  if (isRoot && aptGet) {
    console.log(`gridim: installing ${missing.join(', ')} from Debian packages for the interop and multi-instance tests…`)
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
    execFileSync(aptGet, ['update', '-qq'], { stdio: 'inherit', env })
    const result = spawnSync(aptGet, ['install', '-y', '-qq', ...missing], { stdio: 'inherit', env })
    if (result.status === 0 && missingPackages().length === 0) return 0
    console.error('gridim: apt-get could not install the tests\' packages.')
  }
  console.error([
    `gridim: the interop and multi-instance tests need ${missing.join(', ')}, which ${missing.length === 1 ? 'is' : 'are'} not installed.`,
    'Install them with:',
    `  ${installCommand(missing)}`,
    'or skip those tests explicitly with:',
    ...(missing.some((pkg) => XMPP_PACKAGES.includes(pkg)) ? ['  GRIDIM_SKIP_XMPP_SERVERS=1 npm test   (Prosody, ejabberd, slixmpp, sendxmpp, Chromium)'] : []),
    ...(missing.some((pkg) => POSTGRES_PACKAGES.includes(pkg)) ? ['  GRIDIM_SKIP_POSTGRES=1 npm test       (PostgreSQL, HAProxy)'] : [])
  ].join('\n'))
  return 1
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = main()
