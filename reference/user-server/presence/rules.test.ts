import t from 'tap'
import type { FriendRow } from '../../store/index.ts'
import {
  canSeeOnline, friendView, presenceAfterRightsChange, presenceAudience, presenceChanges, presenceOnNewFriendship, type Grant
} from './rules.ts'

const online = (...ids: string[]) => (id: string) => ids.includes(id)

t.test('GRIDIM-SIGN-6, GRIDIM-SIGN-11, GRIDIM-PRES-1: the audience is the online friends granted CanSeeOnline', async (t) => {
  const table: Array<[string, Grant[], string[], string[]]> = [
    ['no friends', [], ['b'], []],
    ['friend online, granted', [{ friendId: 'b', rightsGranted: 1 }], ['b'], ['b']],
    ['friend offline', [{ friendId: 'b', rightsGranted: 1 }], [], []],
    ['CanSeeOnMap alone is not enough', [{ friendId: 'b', rightsGranted: 2 }], ['b'], []],
    ['every bit', [{ friendId: 'b', rightsGranted: 7 }], ['b'], ['b']],
    ['CanModifyObjects alone', [{ friendId: 'b', rightsGranted: 4 }], ['b'], []],
    ['mixed', [{ friendId: 'b', rightsGranted: 1 }, { friendId: 'c', rightsGranted: 0 }, { friendId: 'd', rightsGranted: 3 }], ['b', 'c', 'd'], ['b', 'd']]
  ]
  for (const [name, grants, onlineIds, expected] of table) {
    t.same(presenceAudience(grants, online(...onlineIds)), expected, name)
  }
})

t.test('seed flows 1–3, GRIDIM-PRES-3: B and C are both A\'s friends, and B never learns of C', async (t) => {
  // Each user's grants: A—B and A—C, all with CanSeeOnline; B and C are not friends.
  const grants: Record<string, Grant[]> = {
    A: [{ friendId: 'B', rightsGranted: 1 }, { friendId: 'C', rightsGranted: 1 }],
    B: [{ friendId: 'A', rightsGranted: 1 }],
    C: [{ friendId: 'A', rightsGranted: 1 }]
  }
  const steps: Array<[string, string[], string[]]> = [
    ['A', [], []], // flow 1: nobody online to tell
    ['B', ['A'], ['A']], // flow 2: A learns of B
    ['C', ['A', 'B'], ['A']] // flow 3: A learns of C; B does not
  ]
  for (const [who, alreadyOnline, told] of steps) {
    const changes = presenceChanges(who, 'online', grants[who]!, online(...alreadyOnline))
    t.same(changes.map((c) => c.toUserId), told, `${who} signs on`)
    t.ok(changes.every((c) => c.aboutUserId === who && c.status === 'online'))
  }
  t.same(presenceChanges('A', 'offline', grants.A!, online('B', 'C')).map((c) => c.toUserId), ['B', 'C'], 'flow 6: A signs off')
})

t.test('GRIDIM-PRES-6: presence follows a rights change at once', async (t) => {
  const table: Array<[string, number, number, boolean, boolean, string | null]> = [
    ['grant while both online', 0, 1, true, true, 'online'],
    ['revoke while both online', 1, 0, true, true, 'offline'],
    ['revoke keeping other bits', 7, 6, true, true, 'offline'],
    ['grant other bits only', 0, 6, true, true, null],
    ['bit unchanged', 1, 3, true, true, null],
    ['granter offline', 0, 1, false, true, null],
    ['grantee offline', 1, 0, true, false, null]
  ]
  for (const [name, before, after, granterOnline, granteeOnline, expected] of table) {
    t.equal(presenceAfterRightsChange(before, after, granterOnline, granteeOnline), expected, name)
  }
})

t.test('a new friendship shows each online side to the other as far as rights allow', async (t) => {
  t.same(presenceOnNewFriendship('a', 'b', 1, 1, online('a', 'b')), [
    { toUserId: 'b', aboutUserId: 'a', status: 'online' },
    { toUserId: 'a', aboutUserId: 'b', status: 'online' }
  ])
  t.same(presenceOnNewFriendship('a', 'b', 1, 0, online('a', 'b')), [{ toUserId: 'b', aboutUserId: 'a', status: 'online' }])
  t.same(presenceOnNewFriendship('a', 'b', 1, 1, online('a')), [], 'nobody to tell while one side is offline')
})

t.test('GRIDIM-PRES-2: online appears in a friend row exactly when the friend grants CanSeeOnline', async (t) => {
  const row = (rightsReceived: number): FriendRow => ({ friendId: 'b', firstName: 'Bo', lastName: 'Bee', rightsGranted: 5, rightsReceived })
  t.same(friendView(row(1), online('b')), { userId: 'b', name: 'Bo Bee', rightsGranted: 5, rightsReceived: 1, online: true })
  t.same(friendView(row(3), online()), { userId: 'b', name: 'Bo Bee', rightsGranted: 5, rightsReceived: 3, online: false })
  t.same(friendView(row(2), online('b')), { userId: 'b', name: 'Bo Bee', rightsGranted: 5, rightsReceived: 2 }, 'hidden while online')
  t.same(friendView(row(0), online()), { userId: 'b', name: 'Bo Bee', rightsGranted: 5, rightsReceived: 0 }, 'hidden while offline')
})

t.test('GRIDIM-LOC-2: canSeeOnline is false for strangers and without bit 1', async (t) => {
  t.equal(canSeeOnline(null), false)
  t.equal(canSeeOnline(0), false)
  t.equal(canSeeOnline(6), false)
  t.equal(canSeeOnline(1), true)
})
