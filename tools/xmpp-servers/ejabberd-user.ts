// As root, ejabberdctl re-runs itself through `su ejabberd`, which starts a new session: the
// Erlang VM would then escape the process group that stop() signals. Starting ejabberdctl as
// the `ejabberd` user directly keeps every process in one group.
import { userInfo } from 'node:os'
import type { SpawnOptions } from 'node:child_process'
import { runCommand } from './run-command.ts'

export async function asEjabberdUser (): Promise<SpawnOptions> {
  if (userInfo().uid !== 0) return {}
  const [uid, gid, home] = await Promise.all([
    runCommand('id', ['-u', 'ejabberd']), runCommand('id', ['-g', 'ejabberd']), runCommand('sh', ['-c', 'getent passwd ejabberd | cut -d: -f6'])
  ])
  return { uid: Number(uid.trim()), gid: Number(gid.trim()), env: { ...process.env, HOME: home.trim() || '/var/lib/ejabberd', USER: 'ejabberd' } }
}
