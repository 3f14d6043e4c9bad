// A c2s server with a recording GridPort and two grid users, for the transport tests (BOSH,
// WebSocket, TCP). Not a test file itself.
import { clone, type Element } from 'ltx'
import { C2sServer } from './server.ts'
import type { C2sSessionHandle, GridPort } from './types.ts'

export const DOMAIN = 'grid.localhost'
export const USERS: Record<string, { password: string, userId: string }> = {
  'ada.lovelace': { password: 'ada-pw', userId: '00000000-0000-4000-8000-00000000000a' },
  'charles.babbage': { password: 'charles-pw', userId: '00000000-0000-4000-8000-00000000000c' }
}

export interface Recorded {
  started: string[]
  ended: Array<{ jid: string, condition?: string }>
  messages: Element[]
  presences: Element[]
  iqs: Element[]
}

/** A GridPort that records everything and echoes chat messages back to their sender. */
export function recordingGridPort (recorded: Recorded): GridPort {
  return {
    sessionStarted: (session: C2sSessionHandle) => { recorded.started.push(session.jid) },
    sessionEnded: (session, reason) => { recorded.ended.push({ jid: session.jid, ...(reason.error === undefined ? {} : { condition: reason.error.condition }) }) },
    onMessage: (session, stanza) => {
      recorded.messages.push(stanza)
      if (stanza.getChildText('body') === 'echo') {
        const echo = clone(stanza)
        echo.attrs.from = stanza.attrs.to
        echo.attrs.to = session.jid
        session.send(echo)
      }
    },
    onPresence: (_session, stanza) => { recorded.presences.push(stanza) },
    onIq: (_session, stanza) => { recorded.iqs.push(stanza); return undefined }
  }
}

export function testC2sServer (overrides: Partial<GridPort> = {}): { c2s: C2sServer, recorded: Recorded } {
  const recorded: Recorded = { started: [], ended: [], messages: [], presences: [], iqs: [] }
  const c2s = new C2sServer({
    domain: DOMAIN,
    plainOnInsecure: true,
    authenticate: async (username, password) => {
      const user = USERS[username.toLowerCase()]
      return user !== undefined && user.password === password ? { userId: user.userId, jid: `${username.toLowerCase()}@${DOMAIN}` } : null
    },
    roster: async () => [{ jid: `charles.babbage@${DOMAIN}`, name: 'Charles Babbage', subscription: 'both' }],
    gridPort: { ...recordingGridPort(recorded), ...overrides }
  })
  return { c2s, recorded }
}

export async function until (what: string, check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}
