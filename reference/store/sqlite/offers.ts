import type { Database } from 'better-sqlite3'
import type { OfferRow, SyncOfferStore } from '../store.ts'

const columns = `offer_id AS offerId, from_user_id AS fromUserId, to_user_id AS toUserId,
  message, created_at AS createdAt`

export function sqliteOfferStore(db: Database): SyncOfferStore {
  const insert = db.prepare<OfferRow>(
    `INSERT INTO friendship_offers (offer_id, from_user_id, to_user_id, message, created_at)
     VALUES (@offerId, @fromUserId, @toUserId, @message, @createdAt)
     ON CONFLICT (from_user_id, to_user_id) DO NOTHING`,
  )
  const byId = db.prepare<[string], OfferRow>(`SELECT ${columns} FROM friendship_offers WHERE offer_id = ?`)
  const byPair = db.prepare<[string, string], OfferRow>(
    `SELECT ${columns} FROM friendship_offers WHERE from_user_id = ? AND to_user_id = ?`,
  )
  const toUser = db.prepare<[string], OfferRow>(
    `SELECT ${columns} FROM friendship_offers WHERE to_user_id = ? ORDER BY created_at, offer_id`,
  )
  const remove = db.prepare<[string]>(`DELETE FROM friendship_offers WHERE offer_id = ?`)

  const create = db.transaction((offer: OfferRow): OfferRow => {
    if (insert.run(offer).changes === 1) return { ...offer }
    return byPair.get(offer.fromUserId, offer.toUserId)!
  })

  return {
    createOffer: (offer) => create.immediate(offer),
    getOffer: (offerId) => byId.get(offerId) ?? null,
    deleteOffer: (offerId) => remove.run(offerId).changes === 1,
    findOpenOffer: (fromUserId, toUserId) => byPair.get(fromUserId, toUserId) ?? null,
    listOpenOffers: (toUserId) => toUser.all(toUserId),
  }
}
