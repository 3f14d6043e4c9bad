import type { OfferRow, OfferStore } from '../store.ts'
import type { Db } from './connection.ts'

const columns = `offer_id AS "offerId", from_user_id AS "fromUserId", to_user_id AS "toUserId",
  message, created_at AS "createdAt"`

export function postgresOfferStore(db: Db): OfferStore {
  const byPair = async (tx: Db, fromUserId: string, toUserId: string): Promise<OfferRow | null> =>
    (await tx.query<OfferRow>(
      `SELECT ${columns} FROM friendship_offers WHERE from_user_id = $1 AND to_user_id = $2`,
      [fromUserId, toUserId],
    )).rows[0] ?? null

  return {
    createOffer: (offer) =>
      db.atomic(async (tx) => {
        // Under READ COMMITTED an insert that meets another process's open offer waits for it
        // and does nothing; the next statement sees that offer. Should it be deleted between
        // the two statements, the insert is tried again.
        for (;;) {
          const inserted = await tx.query(
            `INSERT INTO friendship_offers (offer_id, from_user_id, to_user_id, message, created_at)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (from_user_id, to_user_id) DO NOTHING`,
            [offer.offerId, offer.fromUserId, offer.toUserId, offer.message, offer.createdAt],
          )
          if (inserted.rowCount === 1) return { ...offer }
          const open = await byPair(tx, offer.fromUserId, offer.toUserId)
          if (open !== null) return open
        }
      }),
    getOffer: async (offerId) =>
      (await db.query<OfferRow>(`SELECT ${columns} FROM friendship_offers WHERE offer_id = $1`, [offerId])).rows[0] ?? null,
    deleteOffer: async (offerId) =>
      (await db.query('DELETE FROM friendship_offers WHERE offer_id = $1', [offerId])).rowCount === 1,
    findOpenOffer: (fromUserId, toUserId) => byPair(db, fromUserId, toUserId),
    listOpenOffers: async (toUserId) =>
      (await db.query<OfferRow>(
        `SELECT ${columns} FROM friendship_offers WHERE to_user_id = $1 ORDER BY created_at, offer_id`,
        [toUserId],
      )).rows,
  }
}
