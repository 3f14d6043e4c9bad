// The benchmark harness's pure parts: percentiles, tables, size overrides.
import t from 'tap'
import { parseOverride, sized } from './scenario.ts'
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

t.test('--set values: numbers and words, lists, and clear errors for the wrong kind', async (t) => {
  t.same(parseOverride('pairs=8'), ['pairs', 8])
  t.same(parseOverride('windows=1, 4,16'), ['windows', [1, 4, 16]])
  t.same(parseOverride('paths=http,stream'), ['paths', ['http', 'stream']])
  t.same(parseOverride('ratio=-0.5'), ['ratio', -0.5])
  for (const bad of ['pairs', 'pairs=', '=3', 'pairs=1,,2', 'pairs=1e3', 'paths=h t', '9x=1']) {
    t.throws(() => parseOverride(bad), { message: /expected NAME=VALUE\[,VALUE\.\.\.\], each value a number or a word/ }, bad)
  }
  const defaults = { pairs: 2, windows: [1, 2], paths: ['http'] }
  t.same(sized(defaults, { paths: 'stream', windows: [4, 8] }), { pairs: 2, windows: [4, 8], paths: ['stream'] })
  t.throws(() => sized(defaults, { pairs: [1, 2] }), { message: '--set pairs: takes one value, got 1,2' })
  t.throws(() => sized(defaults, { pairs: 'many' }), { message: '--set pairs: expected numbers, got many' })
  t.throws(() => sized(defaults, { paths: [1] }), { message: '--set paths: expected words, got 1' })
})
