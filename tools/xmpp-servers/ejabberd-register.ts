// Registers an account through ejabberd's HTTP API (mod_http_api `register`), allowed from
// loopback by the test configuration: far quicker than an `ejabberdctl register` per user,
// which boots an Erlang node each time.
import type { UserAccount } from './types.ts'

export async function registerEjabberdUser (httpPort: number, host: string, account: UserAccount): Promise<void> {
  const response = await fetch(`http://127.0.0.1:${httpPort}/api/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user: account.user, host, password: account.password }),
    signal: AbortSignal.timeout(10_000)
  })
  if (!response.ok) throw new Error(`ejabberd refused to register ${account.user}@${host}: ${response.status} ${await response.text()}`)
}
