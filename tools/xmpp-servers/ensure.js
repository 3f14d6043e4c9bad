#!/usr/bin/env node
// pretest: make sure the real XMPP servers the interop tests start (Prosody, ejabberd) are
// installed. Plain JavaScript on purpose: it runs before anything else is known to work.
//
// - both found: nothing to do;
// - missing, and we are root with apt-get: install them from Debian's packages;
// - missing otherwise: stop, printing the exact command to run.
// GRIDIM_SKIP_XMPP_SERVERS=1 is the explicit opt-out (the interop tests then report a skip);
// CI never sets it.
import { execFileSync, spawnSync } from 'node:child_process'
import { accessSync, constants } from 'node:fs'

const PACKAGES = ['prosody', 'ejabberd']
const BINARIES = { prosody: 'prosody', ejabberd: 'ejabberdctl' }
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

function missingPackages () {
  return PACKAGES.filter((pkg) => findBinary(BINARIES[pkg]) === null)
}

function installCommand (missing) {
  return `sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y ${missing.join(' ')}`
}

function main () {
  if (process.env.GRIDIM_SKIP_XMPP_SERVERS === '1') {
    console.log('gridim: GRIDIM_SKIP_XMPP_SERVERS=1 — the Prosody/ejabberd interop tests will be skipped.')
    return 0
  }
  const missing = missingPackages()
  if (missing.length === 0) return 0

  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0
  const aptGet = findBinary('apt-get')
  if (isRoot && aptGet) {
    console.log(`gridim: installing ${missing.join(', ')} from Debian packages for the interop tests…`)
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
    execFileSync(aptGet, ['update', '-qq'], { stdio: 'inherit', env })
    const result = spawnSync(aptGet, ['install', '-y', '-qq', ...missing], { stdio: 'inherit', env })
    if (result.status === 0 && missingPackages().length === 0) return 0
    console.error('gridim: apt-get could not install the XMPP servers.')
  }
  console.error([
    `gridim: the interop tests need ${missing.join(' and ')}, which are not installed.`,
    'Install them with:',
    `  ${installCommand(missing)}`,
    'or skip those tests explicitly with:',
    '  GRIDIM_SKIP_XMPP_SERVERS=1 npm test'
  ].join('\n'))
  return 1
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = main()
