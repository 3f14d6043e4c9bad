// The demo population of the all-in-one grid: the seed's users A, B and C (D is an XMPP user),
// friends as in the seed (A–B, A–C; B and C are not friends), and one group of all three.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { PeerClient } from '../lib/http/index.ts'

export type DemoUser = { key: 'A' | 'B' | 'C', firstName: string, lastName: string, password: string }
/** A demo user once created at the user server. */
export type SeededUser = DemoUser & { userId: string }

export const DEMO_USERS: DemoUser[] = [
  { key: 'A', firstName: 'Ada', lastName: 'Lovelace', password: 'demo-ada' },
  { key: 'B', firstName: 'Brook', lastName: 'Baker', password: 'demo-brook' },
  { key: 'C', firstName: 'Cyd', lastName: 'Carter', password: 'demo-cyd' }
]

/**
 * Creates the demo users, their friendships and group the first time a data folder is used,
 * and remembers them in demo.json there; later starts read that file.
 */
export async function seedDemo (peer: PeerClient, userServerUrl: string, adminToken: string, dataDir: string): Promise<SeededUser[]> {
  const file = join(dataDir, 'demo.json')
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as SeededUser[]
  const headers = { authorization: `Bearer ${adminToken}` }
  const users: SeededUser[] = []
  for (const user of DEMO_USERS) {
    const res = await peer.call(userServerUrl, 'adminCreateUser', { headers, body: { firstName: user.firstName, lastName: user.lastName, password: user.password } })
    users.push({ ...user, userId: res.body.userId })
  }
  const [a, b, c] = users as [SeededUser, SeededUser, SeededUser]
  for (const friend of [b, c]) {
    await peer.call(userServerUrl, 'adminCreateFriendship', { headers, body: { userIds: [a.userId, friend.userId], rights: { ab: 1, ba: 1 } } })
  }
  await peer.call(userServerUrl, 'adminCreateGroup', { headers, body: { name: 'Seed Group', memberIds: users.map((u) => u.userId) } })
  writeFileSync(file, JSON.stringify(users, null, 2))
  return users
}
