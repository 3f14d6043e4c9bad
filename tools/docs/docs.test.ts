// `npm run docs` renders a site a reader can use offline: every OpenAPI document as a Redoc page,
// every requirement an anchor that names the flow steps proving it, every link landing somewhere.
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import t from 'tap'
import { DOCUMENTS } from '../../reference/lib/contract/load-openapi.ts'
import { chapterPage, linksFrom } from './links.ts'
import { loadDocsModel } from './model.ts'
import { runBuildDocs } from './redoc.ts'
import { checkSite, isRedocPage, operationIdsOf, readSite, redocDefinition } from './site-check.ts'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const run = promisify(execFile)
const MAIN = join(ROOT, 'tools/docs/main.ts')
// Five `redocly build-docs` runs take about 10 s on an idle two-core machine; leave room for a busy one.
const RENDER_TIMEOUT_MS = 150_000

t.setTimeout(170_000)

const model = loadDocsModel()
const out = t.testdir()
const started = performance.now()
const rendered = await run(process.execPath, ['--import=tsx', MAIN, '--out', out], { cwd: ROOT, timeout: RENDER_TIMEOUT_MS })
t.comment(`npm run docs took ${Math.round(performance.now() - started)} ms: ${rendered.stdout.trim()}`)
const pages = readSite(out)
const page = (path: string): string => pages.find((p) => p.path === path)?.html ?? ''

t.test('every OpenAPI document is a Redoc page with the bundle inline and the whole document embedded', async (t) => {
  for (const document of DOCUMENTS) {
    const html = page(`api/${document}.html`)
    t.ok(isRedocPage(html), `${document}: Redoc page, bundle inline`)
    const expected = [...model.operations.values()].filter((o) => o.document === document).map((o) => o.operationId).sort()
    t.same(operationIdsOf(redocDefinition(html)).sort(), expected, `${document}: every operation in the embedded definition`)
    t.ok(expected.length > 0)
  }
})

t.test('every requirement of the requirement index is an anchor in its chapter, once', async (t) => {
  const index = JSON.parse(readFileSync(join(ROOT, 'spec/generated/requirements.json'), 'utf8')) as { requirements: Array<{ id: string, chapter: string }> }
  t.ok(index.requirements.length > 200)
  const specPages = pages.filter((p) => p.path.startsWith('spec/'))
  for (const { id, chapter } of index.requirements) {
    const holders = specPages.filter((p) => p.html.includes(` id="${id}"`)).map((p) => p.path)
    if (holders.length !== 1 || holders[0] !== `spec/${chapterPage(chapter)}`) t.fail(`${id}: anchored in [${holders.join(', ')}], expected spec/${chapterPage(chapter)}`)
  }
})

t.test('each requirement links to every flow step that proves it, or says why none does', async (t) => {
  const links = linksFrom(model, 1)
  let proofs = 0
  for (const r of model.requirements) {
    const html = page(`spec/${chapterPage(r.chapter)}`)
    // The requirement's block runs to the next requirement (or the end of the chapter).
    const from = html.indexOf(` id="${r.id}"`)
    const next = html.indexOf('<div class="requirement', from + 1)
    const block = html.slice(from, next === -1 ? undefined : next)
    const proved = model.provedBy.get(r.id) ?? []
    for (const p of proved) {
      proofs++
      if (!block.includes(`href="${links.flow(p.flow.id, p.step)}"`)) t.fail(`${r.id}: no link to ${p.flow.id} step ${p.step}`)
    }
    if (proved.length === 0) t.match(block, /No flow proves it/, `${r.id} says no flow proves it`)
  }
  t.ok(proofs > 500, `${proofs} proofs linked`)
  t.match(page('spec/07-instant-messages.html'), /<a href="\.\.\/api\/region\.html#operation\/deliverInstantMessage"[^>]*><code>deliverInstantMessage<\/code><\/a>/,
    'an operationId in the text opens its Redoc section')
})

t.test('the operations page lists, for each operation, the requirements that name it', async (t) => {
  const html = page('operations.html')
  for (const op of model.operations.values()) {
    const row = /<tr id="([^"]+)">([\s\S]*?)<\/tr>/g
    const cells = [...html.matchAll(row)].find((m) => m[1] === op.operationId)?.[2]
    if (cells === undefined) { t.fail(`${op.operationId}: no row`); continue }
    t.match(cells, `href="api/${op.document}.html#operation/${op.operationId}"`)
    for (const id of model.mentionedBy.get(op.operationId) ?? []) if (!cells.includes(`>${id}</a>`)) t.fail(`${op.operationId}: ${id} missing`)
  }
  t.ok((model.mentionedBy.get('deliverInstantMessage') ?? []).includes('GRIDIM-IM-1'))
})

t.test('every link lands on a page and an anchor that exist, and nothing is loaded from the network', async (t) => {
  t.ok(pages.length >= 5 + model.chapters.length + model.flows.length + 2, `${pages.length} pages`)
  const { problems, links } = checkSite(pages)
  t.same(problems, [])
  t.ok(links > 5000, `${links} links checked`)
})

t.test('the site check finds a missing page, a missing anchor, a missing Redoc operation, a broken description link and a script from a CDN', async (t) => {
  const { problems } = checkSite([
    { path: 'index.html', html: '<p id="here"><a href="#here">ok</a><a href="gone.html">x</a><a href="#nowhere">y</a><a href="https://example.org/">external</a></p>' },
    { path: 'api/a.html', html: '<script src="https://cdn.example/redoc.js"></script><a href="../index.html#here">back</a>' },
    { path: 'api/b.html', html: '<a href="../index.html">back</a><div id="redoc"></div><script type="module">\nconst __redoc_definition = {"paths":{"/x":{"get":{"operationId":"getX","description":"See [GRIDIM-X-1](../spec/x.html#GRIDIM-X-1)."}}}};\n  const __redoc_options = {};</script>' },
    { path: 'operations.html', html: '<a href="api/b.html#operation/getX">x</a><a href="api/b.html#operation/getY">y</a>' }
  ])
  t.same(problems, [
    'index.html: link to a missing page: gone.html',
    'index.html: link to a missing anchor: #nowhere',
    'api/a.html: loads from the network (script src): <script src="https://cdn.example/redoc.js">',
    'api/b.html: link to a missing page: ../spec/x.html#GRIDIM-X-1',
    'operations.html: link to a missing anchor: api/b.html#operation/getY'
  ])
  t.notOk(isRedocPage('<div id="redoc"></div><script type="module">import { hydrate } from "https://cdn.redocly.com/redoc.js"</script>'))
})

t.test('rendering refuses to replace a folder it did not write', async (t) => {
  const dir = t.testdir({ 'precious.txt': 'keep me' })
  const result = await run(process.execPath, ['--import=tsx', MAIN, '--out', dir], { cwd: ROOT }).then(() => undefined, (err: { code: number, stderr: string }) => err)
  t.equal(result?.code, 1)
  t.match(result?.stderr, /not empty and was not written by `npm run docs`/)
  t.equal(readFileSync(join(dir, 'precious.txt'), 'utf8'), 'keep me')
})

t.test('a document Redoc cannot render fails with redocly\'s own message', async (t) => {
  const dir = t.testdir({ 'broken.json': '{"openapi": "3.1.0", "paths": 7}' })
  await t.rejects(runBuildDocs('broken', join(dir, 'broken.json'), join(dir, 'broken.html')), /redocly build-docs broken failed \(exit \d+\):\n\S/)
})
