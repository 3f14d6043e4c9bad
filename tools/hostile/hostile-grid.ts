// The grid the hostile-input test attacks: the reference's embedded grid (user server, two
// regions, an XMPP gateway for IM-only users) on real loopback sockets, so that signatures,
// body limits and connections behave as in production. It holds some state worth protecting —
// two users online and friends, a stored offline message, a pending friendship offer, an open
// group session — whose ids the generated requests use, so that an invalid request that slipped
// through would change something real.
import type { KeyObject } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startGrid, type Grid } from '../../reference/grid/start-grid.ts'
import { loadOrCreateKeyPair } from '../../reference/grid/keys.ts'
import { createLogger, PeerClient } from '../../reference/lib/http/index.ts'

export type Signer = { keyId: string, privateKey: KeyObject }

export type HostileGrid = {
  grid: Grid
  userServerUrl: string
  regionUrl: string
  gatewayUrl: string
  adminToken: string
  /** Ada's session secret on region 1 (client operations go there). */
  clientSecret: string
  /** Region 1 hosts Ada: it signs user-server operations. */
  hostRegion: Signer
  /** Region 2 hosts Brook: it signs region operations sent to region 1. */
  peerRegion: Signer
  /** Ids of things that exist, by the parameter or property names that name them. */
  ids: Record<string, string>
  /** Lines the servers logged at level error (an unexpected failure is one). */
  errors: string[]
  /** The grid's SQLite file of the user server. */
  userServerDatabase: string
  stop: () => Promise<void>
}

const PASSWORD = 'hostile-input-password'

export async function startHostileGrid (): Promise<HostileGrid> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gridim-hostile-'))
  const errors: string[] = []
  // Only the servers' error lines are kept: a refused request is logged at most as a warning.
  const logger = createLogger({}, (line) => { if (line.includes('"level":"error"') && errors.length < 100) errors.push(line) })
  const grid = await startGrid({ dataDir, regionCount: 2, logger, gateway: { domain: 'grid.localhost' } })
  try {
    const peer = new PeerClient()
    const admin = { authorization: `Bearer ${grid.adminToken}` }
    const user = async (firstName: string): Promise<string> =>
      (await peer.call(grid.userServerUrl, 'adminCreateUser', { headers: admin, body: { firstName, lastName: 'Hostile', password: PASSWORD } })).body.userId
    const [ada, brook, cyd, dee] = [await user('Ada'), await user('Brook'), await user('Cyd'), await user('Dee')]
    await peer.call(grid.userServerUrl, 'adminCreateFriendship', { headers: admin, body: { userIds: [ada, brook], rights: { ab: 1, ba: 1 } } })
    const groupId = (await peer.call(grid.userServerUrl, 'adminCreateGroup', { headers: admin, body: { name: 'Hostile Group', memberIds: [ada, brook, cyd] } })).body.groupId
    const [r1, r2] = grid.regionInfo as [typeof grid.regionInfo[0], typeof grid.regionInfo[0]]
    const login = async (url: string, firstName: string) =>
      (await peer.call(url, 'clientLogin', { body: { firstName, lastName: 'Hostile', password: PASSWORD } })).body
    const adaSession = await login(r1.url, 'Ada')
    const brookSession = await login(r2.url, 'Brook')
    const bearer = { authorization: `Bearer ${adaSession.sessionSecret}` }
    // Cyd is offline: the message is stored for her; Dee gets an offer she has not answered.
    const stored = await peer.call(r1.url, 'clientSendInstantMessage', { headers: bearer, body: { toUserId: cyd, body: 'kept for Cyd' } })
    const offer = await peer.call(r1.url, 'clientOfferFriendship', { headers: bearer, body: { toUserId: dee } })
    const session = await peer.call(r1.url, 'clientStartGroupSession', { headers: bearer, body: { groupId } })
    const key = (regionId: string): Signer => ({ keyId: regionId, privateKey: loadOrCreateKeyPair(join(dataDir, 'keys', `${regionId}.pem`)).privateKey })
    return {
      grid,
      userServerUrl: grid.userServerUrl,
      regionUrl: r1.url,
      gatewayUrl: grid.gatewayInfo!.url,
      adminToken: grid.adminToken,
      clientSecret: adaSession.sessionSecret,
      hostRegion: key(r1.regionId),
      peerRegion: key(r2.regionId),
      ids: {
        userId: ada,
        fromUserId: ada,
        toUserId: brook,
        friendId: brook,
        sessionId: adaSession.sessionId,
        regionId: r1.regionId,
        offerId: offer.body.offerId,
        groupId,
        groupSessionId: session.body.groupSessionId,
        messageId: stored.body.messageId,
        brookSessionId: brookSession.sessionId
      },
      errors,
      userServerDatabase: join(dataDir, 'user-server.sqlite'),
      async stop () {
        await grid.stop()
        rmSync(dataDir, { recursive: true, force: true })
      }
    }
  } catch (err) {
    await grid.stop()
    rmSync(dataDir, { recursive: true, force: true })
    throw err
  }
}
