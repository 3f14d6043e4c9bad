// `npm run generate`: writes every generated file. `npm run generate -- --check` writes
// nothing and exits 1 when a generated file on disk differs from what the sources give.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Output } from './header.ts'
import { generateInteropTable } from './interop-table.ts'
import { generateJsonSchemas } from './json-schemas.ts'
import { generateRequirementsIndex } from './requirements-index.ts'
import { generateTypes } from './types.ts'

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')

export async function generateAll (): Promise<Output[]> {
  return [...await generateTypes(), ...generateJsonSchemas(), ...generateRequirementsIndex(), ...generateInteropTable(ROOT)]
}

/** Paths (relative to the root) whose content on disk is missing or differs. */
export function staleFiles (outputs: Output[], root = ROOT): string[] {
  return outputs.filter(({ path, content }) => {
    try {
      return readFileSync(resolve(root, path), 'utf8') !== content
    } catch {
      return true
    }
  }).map((o) => o.path)
}

async function main (): Promise<number> {
  const outputs = await generateAll()
  if (process.argv.includes('--check')) {
    const stale = staleFiles(outputs)
    for (const path of stale) console.error(`stale: ${path}`)
    if (stale.length > 0) console.error('Run `npm run generate` and commit the result.')
    return stale.length === 0 ? 0 : 1
  }
  for (const { path, content } of outputs) {
    mkdirSync(dirname(resolve(ROOT, path)), { recursive: true })
    writeFileSync(resolve(ROOT, path), content)
  }
  console.log(`generated ${outputs.length} files`)
  return 0
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exitCode = await main()
