import t from 'tap'
import { chunk, groupByRegion, reroutes, type Target } from './routing.ts'

const r1: Target = { regionId: 'r1', url: 'http://r1' }
const r2: Target = { regionId: 'r2', url: 'http://r2' }
const where: Record<string, Target> = { a: r1, b: r2, c: r1, d: r2 }

t.test('GRIDIM-SIGN-14: items are grouped by destination region, in order, and offline users dropped', async (t) => {
  const groups = groupByRegion(['a', 'b', 'x', 'c', 'd'], (u) => where[u])
  t.same(groups, [{ target: r1, items: ['a', 'c'] }, { target: r2, items: ['b', 'd'] }])
  t.same(groupByRegion([], (u: string) => where[u]), [])
})

t.test('GRIDIM-LIM-6: batches are split into as few parts as the limit allows', async (t) => {
  t.same(chunk([1, 2, 3, 4, 5], 2), [[1, 2], [3, 4], [5]])
  t.same(chunk([1, 2], 2), [[1, 2]])
  t.same(chunk([], 2), [])
})

t.test('GRIDIM-SIGN-17: users not at the tried region are re-routed only if now placed elsewhere', async (t) => {
  t.same(reroutes(['a', 'b', 'x', 'd'], 'r1', (u) => where[u]), [{ target: r2, userIds: ['b', 'd'] }])
  t.same(reroutes(['a', 'c'], 'r1', (u) => where[u]), [], 'still placed at the tried region: nothing to do')
})
