// The bundled documents are kept between processes under a hash of the folder's YAML files:
// what is read back is what bundling gives, and a changed file is bundled anew.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { parseYaml } from '../read-yaml.ts'
import { loadDocument, OPENAPI_DIR } from './load-openapi.ts'

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
  // The folders differ, so each is loaded in this process; b's files are a's, so b reads a's kept bundle.
  const first = loadDocument('region', a)
  const kept = loadDocument('region', b)
  t.not(kept, first)
  t.same(kept, first, 'the kept bundle is the bundle')
  t.equal(kept.info.title, title)
  t.same(Object.keys(kept.components?.schemas ?? {}), Object.keys(first.components?.schemas ?? {}), 'in the same order')
  t.equal((parseYaml(readFileSync(join(a, 'region.yaml'), 'utf8')) as { info: { title: string } }).info.title, title)
  t.equal(loadDocument('region', c).info.title, `${title} changed`, 'another file, another bundle')
})
