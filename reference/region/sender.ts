// A region speaks only for agents it hosts. An instant message or chat state signed by region R
// for sender S is believed when this region's location cache already places S at R, otherwise
// when a fresh locateUser (on behalf of the recipient) does (GRIDIM-IM-10); that answer is cached,
// which is how the recipient's region learns where the sender is (seed step 9.3, GRIDIM-IM-11).
import { GridImError } from '../lib/errors/index.ts'
import type { RegionContext } from './context.ts'
import { USER_SERVER_KEY_ID } from './peer-keys.ts'
import type { UserLocation } from '../lib/contract/types.ts'

/** Throws not-your-agent unless `signer` hosts `fromUserId`; `forUserId` is the agent here it concerns. */
export async function checkSender (ctx: RegionContext, signer: string, fromUserId: string, forUserId: string): Promise<void> {
  // GRIDIM-IM-12: the user server redelivering a stored message speaks for no region.
  if (signer === USER_SERVER_KEY_ID) return
  if (ctx.cache.get(fromUserId)?.regionId === signer) return
  const refused = new GridImError('not-your-agent', `User ${fromUserId} is not hosted by the signing region ${signer}.`)
  let found: UserLocation
  try {
    found = await ctx.userServer('locateUser', { params: { userId: fromUserId }, query: { for: forUserId } })
  } catch (err) {
    if (err instanceof GridImError && err.code === 'unknown-user') throw refused
    // The user server refuses to answer for `forUserId`: it no longer places that user here (the
    // session ended, say, in a lease lapse this region has not yet heard of). The recipient is
    // not here, whoever the sender is (GRIDIM-IM-9, GRIDIM-IM-25).
    if (err instanceof GridImError && err.code === 'not-your-agent') throw new GridImError('agent-not-here', `User ${forUserId} is not on this region.`)
    throw err
  }
  // A foreign user is reachable at the gateway while offline (GRIDIM-LOC-4): `regionId` decides.
  // A refusal changes nothing here, not even the cache (GRIDIM-ERR-5).
  if (found.regionId !== signer || found.regionUrl === undefined) throw refused
  ctx.cache.set(fromUserId, { regionId: found.regionId, url: found.regionUrl, ...(found.kind ? { kind: found.kind } : {}) })
}
