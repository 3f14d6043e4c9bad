import t from 'tap'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { scratchRoot } from './embedded.ts'

t.test('an embedded grid keeps its files in memory where it can, and where TMPDIR says when it is set', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'gridim-scratch-'))
  t.teardown(() => { rmSync(dir, { recursive: true, force: true }) })
  t.equal(scratchRoot({}, dir, 1), dir, 'a writable folder with room enough')
  t.equal(scratchRoot({ TMPDIR: '/somewhere' }, dir), tmpdir(), 'TMPDIR set: the temporary folder')
  t.equal(scratchRoot({}, join(dir, 'absent')), tmpdir(), 'none: the temporary folder')
  t.equal(scratchRoot({}, dir, Number.MAX_SAFE_INTEGER), tmpdir(), 'too little room: the temporary folder')
  writeFileSync(join(dir, 'file'), '')
  t.equal(scratchRoot({}, join(dir, 'file')), tmpdir(), 'not a folder: the temporary folder')
})
