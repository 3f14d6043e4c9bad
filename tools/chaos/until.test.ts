// The chaos run's only way to wait: for a condition, with a timeout.
import t from 'tap'
import { until } from './until.ts'

t.test('until returns once the condition holds', async (t) => {
  let n = 0
  await until(() => ++n >= 3, 5000, 'three checks')
  t.equal(n, 3)
})

t.test('until throws after its timeout, saying what it waited for', async (t) => {
  await t.rejects(until(() => false, 100, 'nothing'), /timed out after 100 ms waiting for nothing/)
})
