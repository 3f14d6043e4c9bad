// Registers an account through ejabberd's HTTP API (mod_http_api `register`), allowed from
// loopback by the test configuration: far quicker than an `ejabberdctl register` per user,
// which boots an Erlang node each time.
import type { RosterItem, UserAccount } from './types.ts'

async function callApi (httpPort: number, command: string, body: Record<string, string>): Promise<void> {
  const response = await fetch(`http://127.0.0.1:${httpPort}/api/${command}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000)
  })
  if (!response.ok) throw new Error(`ejabberd refused ${command} ${JSON.stringify(body)}: ${response.status} ${await response.text()}`)
}

export async function registerEjabberdUser (httpPort: number, host: string, account: UserAccount): Promise<void> {
  await callApi(httpPort, 'register', { user: account.user, host, password: account.password })
}

/** mod_admin_extra `add_rosteritem` (ejabberd 23.01 signature: one group, as a string). */
export async function addEjabberdRosterItem (httpPort: number, host: string, user: string, item: RosterItem): Promise<void> {
  const at = item.jid.indexOf('@')
  await callApi(httpPort, 'add_rosteritem', {
    localuser: user,
    localhost: host,
    user: at === -1 ? '' : item.jid.slice(0, at),
    host: item.jid.slice(at + 1),
    nick: item.name ?? '',
    group: '',
    subs: item.subscription
  })
}
