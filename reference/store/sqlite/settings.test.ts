import t from 'tap'
import { defaultSettings, type Settings } from '../store.ts'
import { memoryStore } from '../test-support.ts'

t.test('a new store has the default settings', (t) => {
  t.same(memoryStore(t).getSettings(), defaultSettings)
  t.end()
})

t.test('updates apply only the given fields', (t) => {
  const store = memoryStore(t)
  const steps: [Partial<Settings>, Settings][] = [
    [{ leaseSeconds: 5 }, { leaseSeconds: 5, groupIdleSeconds: 1800, replayWindowSeconds: 60, clientIdleSeconds: 120, handoverSeconds: 60, keepAliveSeconds: 15 }],
    [{}, { leaseSeconds: 5, groupIdleSeconds: 1800, replayWindowSeconds: 60, clientIdleSeconds: 120, handoverSeconds: 60, keepAliveSeconds: 15 }],
    [{ groupIdleSeconds: 2, replayWindowSeconds: 120 }, { leaseSeconds: 5, groupIdleSeconds: 2, replayWindowSeconds: 120, clientIdleSeconds: 120, handoverSeconds: 60, keepAliveSeconds: 15 }],
  ]
  for (const [patch, expected] of steps) {
    t.same(store.updateSettings(patch), expected, JSON.stringify(patch))
    t.same(store.getSettings(), expected)
  }
  t.end()
})

t.test('a setting that is not a positive integer is refused and nothing changes', (t) => {
  const store = memoryStore(t)
  for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
    t.throws(() => store.updateSettings({ replayWindowSeconds: 90, leaseSeconds: bad }), RangeError, String(bad))
  }
  t.same(store.getSettings(), defaultSettings)
  t.end()
})
