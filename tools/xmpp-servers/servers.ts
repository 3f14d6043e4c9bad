// The real servers by name, and the one switch that skips them (GRIDIM_SKIP_XMPP_SERVERS=1,
// the pretest's explicit opt-out). A missing binary is otherwise a failure, never a skip.
import { startEjabberd } from './ejabberd.ts'
import { startProsody } from './prosody.ts'
import type { RunningXmppServer, XmppServerOptions } from './types.ts'

export const XMPP_SERVERS: Record<RunningXmppServer['name'], (options?: XmppServerOptions) => Promise<RunningXmppServer>> = {
  prosody: startProsody,
  ejabberd: startEjabberd
}

/** The reason to skip the interop tests, or false to run them. */
export function skipXmppServers (env: NodeJS.ProcessEnv = process.env): string | false {
  return env.GRIDIM_SKIP_XMPP_SERVERS === '1' ? 'GRIDIM_SKIP_XMPP_SERVERS=1: real XMPP server tests skipped on request' : false
}
