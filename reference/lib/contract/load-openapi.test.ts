// The bundled documents are kept between processes under a hash of the folder's YAML files:
// what is read back is what bundling gives, and a changed file is bundled anew.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import t from 'tap'
import { keptBundleFile, loadDocument, OPENAPI_DIR } from './load-openapi.ts'

/** A copy of openapi/ with a title of this run's own, so that its kept bundles are this test's. */
function copy (title: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'gridim-openapi-'))
  cpSync(OPENAPI_DIR, dir, { recursive: true })
  const file = join(dir, 'region.yaml')
  writeFileSync(file, readFileSync(file, 'utf8').replace(/^(\s+title:).*$/m, `$1 ${title}`))
  return dir
}

t.test('a kept bundle reads back as the bundle; a changed file is bundled anew', async (t) => {
  const title = `Region ${process.pid} ${Date.now()}`
  const a = copy(title)
  const b = copy(title)
  const c = copy(`${title} changed`)
  t.teardown(() => { for (const d of [a, b, c]) rmSync(d, { recursive: true, force: true }) })
  const first = loadDocument('region', a)
  t.equal(first.info.title, title)
  const kept = keptBundleFile(join(a, 'region.yaml'))
  t.teardown(() => { for (const d of [a, c]) rmSync(dirname(keptBundleFile(join(d, 'region.yaml'))), { recursive: true, force: true }) })
  t.equal(keptBundleFile(join(b, 'region.yaml')), kept, 'the same files elsewhere are kept under the same name')
  t.same(JSON.parse(readFileSync(kept, 'utf8')), first, 'what is kept is the bundle')
  // b's files are a's: a process loading b reads what a left (marked here, to tell it from a bundling).
  writeFileSync(kept, JSON.stringify({ ...first, info: { ...first.info, title: `${title} (kept)` } }))
  t.equal(loadDocument('region', b).info.title, `${title} (kept)`, 'read back, not bundled again')
  t.not(keptBundleFile(join(c, 'region.yaml')), kept, 'another file, another name')
  t.equal(loadDocument('region', c).info.title, `${title} changed`)
  writeFileSync(keptBundleFile(join(c, 'admin.yaml')), 'not JSON {')
  t.equal(loadDocument('admin', c).openapi, first.openapi, 'a kept file that does not read is bundled again')
  t.same(JSON.parse(readFileSync(keptBundleFile(join(c, 'admin.yaml')), 'utf8')), loadDocument('admin', c), 'and replaced')
})
