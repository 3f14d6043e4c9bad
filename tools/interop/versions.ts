// The installed Debian package versions the interop results name ("slixmpp 1.8.3", "Prosody 0.12"),
// read from dpkg so a results file says what was really tested.
import { execFileSync } from 'node:child_process'

/** The upstream version of an installed Debian package, cut to `parts` numbers ("0.12.3-1" → "0.12"). */
export function debianVersion (pkg: string, parts: number): string {
  const full = execFileSync('dpkg-query', ['-W', '-f=${Version}', pkg], { encoding: 'utf8' }).trim()
  const upstream = full.replace(/^[0-9]+:/, '').replace(/-[^-]*$/, '')
  return upstream.split('.').slice(0, parts).join('.')
}

const SERVER_NAMES = { prosody: 'Prosody', ejabberd: 'ejabberd' } as const

/** "Prosody 0.12 (component link)": the server a client used, the gateway linked as its component; `note` says how its set-up differs from the package's. */
export function viaServer (server: keyof typeof SERVER_NAMES, note?: string): string {
  return `${SERVER_NAMES[server]} ${debianVersion(server, 2)} (component link${note === undefined ? '' : `, ${note}`})`
}
