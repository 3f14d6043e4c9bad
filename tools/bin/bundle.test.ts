// tools/bin/bundle.js: the repository's TypeScript as one cached module, each file keeping its
// own import.meta.url, built again when one of its files changes. In this process: tap gives every
// child process coverage, which turns bundles off there.
import { execFileSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import t, { type Test } from 'tap'
import { bundled } from './bundle.js'

/** A folder of its own inside the repository, outside node_modules (whose files are packages). */
function fixture (t: Test): string {
  const parent = fileURLToPath(new URL('../../.tap/', import.meta.url))
  mkdirSync(parent, { recursive: true })
  const dir = mkdtempSync(join(parent, 'bundle-test-'))
  t.teardown(() => { rmSync(dir, { recursive: true, force: true }) })
  mkdirSync(join(dir, 'sub'))
  writeFileSync(join(dir, 'a.ts'), "import { b } from './sub/b.ts'\nexport const own: string = import.meta.url\nexport const other = b\nexport const text = \"import.meta.url\" + ' import.meta.url'\n")
  writeFileSync(join(dir, 'sub/b.ts'), "export const b: string = import.meta.url + '#1'\n")
  return dir
}

/** Runs `body` as a process without coverage would (NODE_V8_COVERAGE unset), restoring it after. */
function withoutCoverage (t: Test): void {
  const saved = process.env.NODE_V8_COVERAGE
  delete process.env.NODE_V8_COVERAGE
  t.teardown(() => { if (saved !== undefined) process.env.NODE_V8_COVERAGE = saved })
}

/** A fresh copy of the bundle's module (a query of its own: ES modules are cached by URL). */
async function load (url: URL | undefined, n: number): Promise<{ own: string, other: string, text: string }> {
  if (url === undefined) throw new Error('no bundle')
  return await import(`${url.href}?${n}`) as { own: string, other: string, text: string }
}

t.test('a bundle keeps each file\'s own import.meta.url and is reused until a file changes', async (t) => {
  withoutCoverage(t)
  const dir = fixture(t)
  const entry = pathToFileURL(join(dir, 'a.ts'))
  const url = await bundled(entry)
  t.teardown(() => { for (const f of [url!, new URL(url!.href.replace(/\.mjs$/, '.inputs.json'))]) rmSync(f, { force: true }) })
  t.match(url?.pathname, /\/node_modules\/\.cache\/gridim\/.+a-[0-9a-f]{8}\.mjs$/)
  const first = await load(url, 1)
  t.equal(first.own, entry.href, 'the entry\'s own URL, not the bundle\'s')
  t.equal(first.other, `${pathToFileURL(join(dir, 'sub/b.ts')).href}#1`, 'an imported file\'s own URL')
  t.equal(first.text, 'import.meta.url import.meta.url', 'the words in a string are left alone')
  const built = statSync(url!).mtimeMs

  const [again, meanwhile] = await Promise.all([bundled(entry), bundled(entry)])
  t.equal(again?.href, url?.href)
  t.equal(meanwhile?.href, url?.href)
  t.equal(statSync(again!).mtimeMs, built, 'nothing changed: the cached bundle, not built again')

  writeFileSync(join(dir, 'sub/b.ts'), "export const b: string = import.meta.url + '#2, changed'\n")
  const changed = await load(await bundled(entry), 2)
  t.equal(changed.other, `${pathToFileURL(join(dir, 'sub/b.ts')).href}#2, changed`, 'an imported file changed: built again')
})

t.test('no bundle where coverage is collected or GRIDIM_NO_BUNDLE is set: the caller uses tsx', async (t) => {
  const dir = fixture(t)
  const entry = pathToFileURL(join(dir, 'a.ts'))
  withoutCoverage(t)
  process.env.NODE_V8_COVERAGE = join(dir, 'coverage')
  t.equal(await bundled(entry), undefined, 'coverage')
  delete process.env.NODE_V8_COVERAGE
  process.env.GRIDIM_NO_BUNDLE = '1'
  t.teardown(() => { delete process.env.GRIDIM_NO_BUNDLE })
  t.equal(await bundled(entry), undefined, 'GRIDIM_NO_BUNDLE')
})

t.test('a source esbuild cannot bundle: no bundle, and why, once (the caller then uses tsx, which says where)', async (t) => {
  withoutCoverage(t)
  const dir = fixture(t)
  writeFileSync(join(dir, 'broken.ts'), 'export const x = (\n')
  const written: string[] = []
  const write = process.stderr.write
  process.stderr.write = ((chunk: string) => { written.push(String(chunk)); return true }) as typeof process.stderr.write
  t.teardown(() => { process.stderr.write = write })
  t.equal(await bundled(pathToFileURL(join(dir, 'broken.ts'))), undefined)
  process.stderr.write = write
  t.match(written.join(''), /gridim: running the sources through tsx: no bundle of \.tap\/bundle-test-[^/]+\/broken\.ts/)
})

t.test('checkouts sharing one node_modules through a link each run their own sources', async (t) => {
  // Two checkouts (git worktrees, say) whose node_modules link to this repository's: one cache for
  // both. Each has a.ts, different; each bundle must hold its own, and name its own files.
  const modules = realpathSync(fileURLToPath(new URL('../../node_modules', import.meta.url)))
  const checkouts = ['one', 'two'].map((which) => {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), `gridim-bundle-${which}-`)))
    t.teardown(() => { rmSync(dir, { recursive: true, force: true }) })
    mkdirSync(join(dir, 'tools/bin'), { recursive: true })
    copyFileSync(fileURLToPath(new URL('./bundle.js', import.meta.url)), join(dir, 'tools/bin/bundle.js'))
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n')
    writeFileSync(join(dir, 'tsconfig.json'), '{}\n')
    symlinkSync(modules, join(dir, 'node_modules'))
    writeFileSync(join(dir, 'a.ts'), `export const own: string = import.meta.url\nexport const which = '${which}'\n`)
    return dir
  })
  // Both built first, then both loaded, in a process of their own.
  const script = `delete process.env.NODE_V8_COVERAGE
delete process.env.GRIDIM_NO_BUNDLE
const urls = []
for (const dir of ${JSON.stringify(checkouts)}) {
  const { bundled } = await import(new URL('tools/bin/bundle.js', 'file://' + dir + '/').href)
  urls.push(await bundled(new URL('a.ts', 'file://' + dir + '/')))
}
const loaded = []
for (const url of urls) loaded.push({ url: url.href, ...(await import(url.href)) })
console.log(JSON.stringify(loaded))`
  // tap gives every child coverage, whatever its env: the script turns it off for itself.
  // The bundles land in this repository's cache (the checkouts link to its node_modules): removed
  // whatever the child did, by the name bundle.js gives them (a-<hash>.mjs, .inputs.json).
  const cache = join(modules, '.cache/gridim')
  const before = new Set(existsSync(cache) ? readdirSync(cache) : [])
  t.teardown(() => { for (const f of readdirSync(cache)) if (!before.has(f) && /^a-[0-9a-f]{8}\./.test(f)) rmSync(join(cache, f), { force: true }) })
  const loaded = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })) as Array<{ url: string, own: string, which: string }>
  t.same(loaded.map((l) => l.which), ['one', 'two'], 'each checkout\'s bundle holds its own a.ts')
  t.same(loaded.map((l) => l.own), checkouts.map((dir) => pathToFileURL(join(dir, 'a.ts')).href), 'and each file names its own checkout, not the one the cache lives in')
  t.not(loaded[0]!.url.replace(/.*\//, ''), loaded[1]!.url.replace(/.*\//, ''), 'two bundles, one a checkout')
})
