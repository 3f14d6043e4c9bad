// Files kept between processes: a folder in use stays, folders unused for an hour go, a file is
// written whole or not at all, and where nothing can be written the caller computes instead.
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { CACHE_ROOT, readCached, sha, useFolder, writeCached } from './cache-files.ts'

const parent = join(CACHE_ROOT, `test-${randomBytes(6).toString('hex')}`)
t.teardown(() => { rmSync(parent, { recursive: true, force: true }) })

t.test('a folder in use is kept; one unused for over an hour goes', async (t) => {
  const old = join(parent, 'old')
  const recent = join(parent, 'recent')
  mkdirSync(old, { recursive: true })
  mkdirSync(recent, { recursive: true })
  const twoHoursAgo = new Date(Date.now() - 7_200_000)
  utimesSync(old, twoHoursAgo, twoHoursAgo)
  const dir = useFolder(parent, 'now')
  t.equal(dir, join(parent, 'now'))
  t.same(readdirSync(parent).sort(), ['now', 'recent'], 'the old folder went, the recent one stayed')
  // Using a folder again marks it anew, so another process's pruning leaves it.
  utimesSync(dir, twoHoursAgo, twoHoursAgo)
  useFolder(parent, 'now')
  useFolder(parent, 'recent')
  t.ok(existsSync(dir), 'a folder used again is not pruned')
})

t.test('written whole, read back; a file never written reads as nothing', async (t) => {
  const dir = useFolder(parent, 'files')
  const file = join(dir, 'a.json')
  t.equal(readCached(file), undefined)
  writeCached(file, '{"a":1}')
  t.equal(readCached(file), '{"a":1}')
  writeCached(file, '{"a":2}')
  t.equal(readCached(file), '{"a":2}', 'replaced')
  t.same(readdirSync(dir), ['a.json'], 'no temporary file is left behind')
})

t.test('names: a hash of the input, the same for the same input', async (t) => {
  t.equal(sha('x'), sha('x'))
  t.not(sha('x'), sha('y'))
  t.match(sha('x'), /^[0-9a-f]{32}$/)
})

t.test('where nothing can be written, writing gives up quietly', async (t) => {
  const blocked = join(parent, 'blocked')
  writeFileSync(blocked, 'a file where a folder would be')
  t.doesNotThrow(() => { useFolder(blocked, 'inside') })
  t.doesNotThrow(() => { writeCached(join(blocked, 'inside', 'x.json'), '{}') })
  t.equal(readCached(join(blocked, 'inside', 'x.json')), undefined)
  const file = join(useFolder(parent, 'after'), 'y.json')
  writeCached(file, '{}')
  t.equal(readCached(file), '{}', 'a failure leaves later writes elsewhere alone')
})
