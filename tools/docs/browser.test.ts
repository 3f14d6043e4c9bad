// The rendered docs in a real browser with the network cut off (Debian's Chromium, loopback only):
// a requirement's proof link lands on the flow step, an operation link lands Redoc on that
// operation with its schema drawn, a requirement id in Redoc leads back to the spec, and no page
// needs anything from outside. The static checks
// of docs.test.ts trust that Redoc routes `#operation/<operationId>`; this shows it does.
import { readFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import { join, normalize, sep } from 'node:path'
import t from 'tap'
import { chromiumOrSkip, launchChromium, type Browser } from '../interop/converse/browser.ts'
import { loadDocsModel } from './model.ts'
import { renderRedocPage } from './redoc.ts'
import { renderOwnPages, writeOutputs } from './render.ts'

const chromium = chromiumOrSkip()
const skip = 'skip' in chromium ? chromium.skip : 'missing' in chromium ? chromium.missing : false
if ('missing' in chromium) t.fail(chromium.missing)

/** The docs folder over HTTP on loopback, as `npx serve docs` would. */
async function serve (dir: string): Promise<{ url: string, server: Server }> {
  const server = createServer((req, res) => {
    const file = normalize(join(dir, decodeURIComponent(new URL(req.url ?? '/', 'http://docs').pathname)))
    if (!file.startsWith(dir + sep)) { res.writeHead(404).end(); return }
    readFile(file).then((body) => { res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(body) }, () => { res.writeHead(404).end() })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  return { url: `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`, server }
}

t.test('the docs in a browser without network', { skip, timeout: 120_000 }, async (t) => {
  const dir = t.testdir()
  const model = loadDocsModel()
  writeOutputs(dir, renderOwnPages(model))
  await renderRedocPage('region', join(dir, 'api', 'region.html'), model)
  const { url, server } = await serve(dir)
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())))
  const browser: Browser = await launchChromium((chromium as { path: string }).path)
  t.teardown(() => browser.close())
  const outside: string[] = []
  browser.context.on('request', (r) => {
    if (!r.url().startsWith(url)) outside.push(`${r.resourceType()} ${r.url()}`)
  })
  const page = await browser.context.newPage()

  await page.goto(`${url}/spec/07-instant-messages.html#GRIDIM-IM-11`)
  await page.click('#GRIDIM-IM-11 details a[href*="#step-"]')
  await page.waitForURL(/flows\/09-a-messages-b\.html#step-9\.4$/)
  t.equal(await page.locator(':target').getAttribute('id'), 'step-9.4', 'the proof link lands on the flow step')

  await page.goto(`${url}/spec/07-instant-messages.html#GRIDIM-IM-1`)
  await page.click('#GRIDIM-IM-1 a[href$="#operation/deliverInstantMessage"]')
  const summary = model.operations.get('deliverInstantMessage')!.summary
  // Redoc scrolls to the operation once it has hydrated; wait for that rather than a fixed time.
  // (A string, evaluated in the page: this project's TypeScript has no DOM types.)
  await page.waitForFunction(`[...document.querySelectorAll('h1,h2')].some((h) => h.textContent === ${JSON.stringify(summary)} &&
    h.getBoundingClientRect().top >= 0 && h.getBoundingClientRect().top < 300)`, undefined, { timeout: 30_000 })
  t.pass(`Redoc shows "${summary}" at the top`)
  t.ok(await page.locator('.schema-property-item', { hasText: 'fromUserId' }).count() > 0, 'the request schema is drawn, property by property')

  await page.click('a[href="../spec/07-instant-messages.html#GRIDIM-IM-10"]')
  await page.waitForURL(/spec\/07-instant-messages\.html#GRIDIM-IM-10$/)
  t.equal(await page.locator(':target').getAttribute('id'), 'GRIDIM-IM-10', 'a requirement id in an operation\'s description leads back to its paragraph')

  // Redoc's "API docs by Redocly" badge asks for its logo and hides it when that fails; nothing
  // else may leave the machine.
  t.same(outside.filter((r) => !/^image https:\/\/cdn\.redoc\.ly\/redoc\/logo-mini(-full)?\.svg$/.test(r)), [], 'nothing but the badge logo is requested from outside')
})
