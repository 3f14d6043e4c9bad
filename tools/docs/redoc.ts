// The API reference pages: `redocly build-docs` (Redoc 3) for each OpenAPI document, with the Redoc
// bundle inlined (--inlineBundle) so a page opened from disk needs no CDN, and telemetry off so
// neither the CLI nor the page reports to Redocly. The CLI runs in a child process: it has no
// programmatic API for build-docs.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { availableParallelism, tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { DocumentName } from '../../reference/lib/contract/load-openapi.ts'
import { linkedDefinition } from './linked-definition.ts'
import { linksFrom } from './links.ts'
import type { DocsModel } from './model.ts'

const REDOCLY = createRequire(import.meta.url).resolve('@redocly/cli/bin/cli.js')
/** Adds a link bar back to the rest of the docs above Redoc's own page. */
export const TEMPLATE = join(dirname(fileURLToPath(import.meta.url)), 'redoc-template.hbs')
const TIMEOUT_MS = 120_000

export function buildDocsArgs (definitionFile: string, outFile: string): string[] {
  return [REDOCLY, 'build-docs', definitionFile, '--inlineBundle', '--template', TEMPLATE, '--output', resolve(outFile)]
}

/** Renders one document (its descriptions linked to the spec pages, see linked-definition.ts). */
export async function renderRedocPage (document: DocumentName, outFile: string, model: DocsModel): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'gridim-docs-'))
  try {
    const definitionFile = join(work, `${document}.json`)
    writeFileSync(definitionFile, JSON.stringify(linkedDefinition(document, model, linksFrom(model, 1))))
    await runBuildDocs(document, definitionFile, outFile)
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

export function runBuildDocs (document: string, definitionFile: string, outFile: string): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, buildDocsArgs(definitionFile, outFile), {
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: TIMEOUT_MS
    })
    let output = ''
    child.stdout.on('data', (d: Buffer) => { output += d.toString() })
    child.stderr.on('data', (d: Buffer) => { output += d.toString() })
    child.on('error', fail)
    child.on('close', (code, signal) => {
      // Without the CLI's boxed notices (Node version, Redoc 3): what is left is the error.
      const said = output.split('\n').filter((line) => line.trim() !== '' && !/^\s*[║╔╚]/.test(line)).join('\n')
      if (code === 0) done()
      else fail(new Error(`redocly build-docs ${document} failed (${signal ?? `exit ${code}`}):\n${said}`))
    })
  })
}

/** Every document, a few at a time: each build is one busy Node process. */
export async function renderRedocPages (documents: readonly DocumentName[], outDir: string, model: DocsModel, parallel = Math.min(availableParallelism(), 3)): Promise<string[]> {
  const queue = [...documents]
  const written: string[] = []
  const worker = async (): Promise<void> => {
    for (let d = queue.shift(); d !== undefined; d = queue.shift()) {
      const file = join(outDir, 'api', `${d}.html`)
      await renderRedocPage(d, file, model)
      written.push(file)
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, parallel) }, worker))
  return written
}
