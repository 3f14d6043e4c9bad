import t from 'tap'
import { defaultSettings, type Settings } from '../store.ts'
import { eachStore } from '../test-support.ts'

eachStore(t, (t, fresh) => {
  t.test('a new store has the default settings', async (t) => {
    t.same(await (await fresh(t)).getSettings(), defaultSettings)
  })

  t.test('updates apply only the given fields', async (t) => {
    const store = await fresh(t)
    const steps: [Partial<Settings>, Settings][] = [
      [{ leaseSeconds: 5 }, { leaseSeconds: 5, groupIdleSeconds: 1800, replayWindowSeconds: 60, clientIdleSeconds: 120, handoverSeconds: 60, keepAliveSeconds: 15 }],
      [{}, { leaseSeconds: 5, groupIdleSeconds: 1800, replayWindowSeconds: 60, clientIdleSeconds: 120, handoverSeconds: 60, keepAliveSeconds: 15 }],
      [{ groupIdleSeconds: 2, replayWindowSeconds: 120 }, { leaseSeconds: 5, groupIdleSeconds: 2, replayWindowSeconds: 120, clientIdleSeconds: 120, handoverSeconds: 60, keepAliveSeconds: 15 }],
    ]
    for (const [patch, expected] of steps) {
      t.same(await store.updateSettings(patch), expected, JSON.stringify(patch))
      t.same(await store.getSettings(), expected)
    }
  })

  t.test('a setting that is not a positive integer is refused and nothing changes', async (t) => {
    const store = await fresh(t)
    for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      await t.rejects(store.updateSettings({ replayWindowSeconds: 90, leaseSeconds: bad }), RangeError, String(bad))
    }
    t.same(await store.getSettings(), defaultSettings)
  })
})
