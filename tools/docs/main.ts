// `npm run docs [-- --out DIR]`: renders the documentation (default: docs/, which git ignores).
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { renderDocs } from './render.ts'

const ROOT = resolve(fileURLToPath(import.meta.url), '../../..')

async function main (argv: string[]): Promise<number> {
  const at = argv.indexOf('--out')
  const outDir = at >= 0 && argv[at + 1] !== undefined ? resolve(argv[at + 1]!) : resolve(ROOT, 'docs')
  let summary
  try {
    summary = await renderDocs(outDir)
  } catch (err) {
    console.error(`npm run docs: ${(err as Error).message}`)
    return 1
  }
  const { pages, redocPages, ms } = summary
  console.log(`rendered ${pages} pages (${redocPages} with Redoc) into ${outDir} in ${(ms / 1000).toFixed(1)} s; open ${resolve(outDir, 'index.html')}`)
  return 0
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exitCode = await main(process.argv.slice(2))
