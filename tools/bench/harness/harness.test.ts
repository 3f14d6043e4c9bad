// The benchmark harness's pure parts: percentiles, tables, size overrides.
import t from 'tap'
import { sized } from './scenario.ts'
import { percentile, summarize } from './stats.ts'
import { formatTable, markdownTable } from './table.ts'

t.test('percentiles are nearest-rank over the raw samples', async (t) => {
  const samples = Array.from({ length: 100 }, (_, i) => i + 1)
  t.equal(percentile(samples, 50), 50)
  t.equal(percentile(samples, 99), 99)
  t.equal(percentile(samples, 100), 100)
  t.equal(percentile([7], 99), 7)
  t.ok(Number.isNaN(percentile([], 50)))
  const s = summarize([5, 1, 3])
  t.same([s.count, s.min, s.p50, s.max, s.mean], [3, 1, 3, 5, 3])
})

t.test('tables line up in text and render as Markdown', async (t) => {
  const table = { title: 'T', columns: ['system', 'msgs/s'], rows: [['grid', 1234.5], ['prosody', Number.NaN]], notes: ['n'] }
  const text = formatTable(table).split('\n')
  t.equal(text[0], 'T')
  t.match(text[3]!, /^grid\s+1,234\.5$/)
  t.match(text[4]!, /^prosody\s+—$/)
  const md = markdownTable(table)
  t.match(md, /\| system \| msgs\/s \|/)
  t.match(md, /\|---\|---:\|/)
  t.match(md, /- n/)
})

t.test('size overrides apply only to fields the scenario has', async (t) => {
  const sizes = sized({ pairs: 2, windows: [1, 2] }, { pairs: 8, windows: 4, unknown: 1 })
  t.same(sizes, { pairs: 8, windows: [4] })
})
