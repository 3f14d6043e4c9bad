// The API reference pages: `redocly build-docs` (Redoc 3) for each OpenAPI document, with the Redoc
// bundle inlined (--inlineBundle) so a page opened from disk needs no CDN, and telemetry off so
// neither the CLI nor the page reports to Redocly. The CLI runs in a child process: it has no
// programmatic API for build-docs.
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { availableParallelism } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { OPENAPI_DIR, type DocumentName } from '../../reference/lib/contract/load-openapi.ts'

const REDOCLY = createRequire(import.meta.url).resolve('@redocly/cli/bin/cli.js')
/** Adds a link bar back to the rest of the docs above Redoc's own page. */
export const TEMPLATE = join(dirname(fileURLToPath(import.meta.url)), 'redoc-template.hbs')
const TIMEOUT_MS = 120_000

export function buildDocsArgs (document: DocumentName, outFile: string): string[] {
  return [REDOCLY, 'build-docs', join(OPENAPI_DIR, `${document}.yaml`), '--inlineBundle', '--template', TEMPLATE, '--output', resolve(outFile)]
}

export function renderRedocPage (document: DocumentName, outFile: string): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, buildDocsArgs(document, outFile), {
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: TIMEOUT_MS
    })
    let output = ''
    child.stdout.on('data', (d: Buffer) => { output += d.toString() })
    child.stderr.on('data', (d: Buffer) => { output += d.toString() })
    child.on('error', fail)
    child.on('close', (code, signal) => {
      if (code === 0) done()
      else fail(new Error(`redocly build-docs ${document} failed (${signal ?? `exit ${code}`}):\n${output.trim()}`))
    })
  })
}

/** Every document, a few at a time: each build is one busy Node process. */
export async function renderRedocPages (documents: readonly DocumentName[], outDir: string, parallel = Math.min(availableParallelism(), 3)): Promise<string[]> {
  const queue = [...documents]
  const written: string[] = []
  const worker = async (): Promise<void> => {
    for (let d = queue.shift(); d !== undefined; d = queue.shift()) {
      const file = join(outDir, 'api', `${d}.html`)
      await renderRedocPage(d, file)
      written.push(file)
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, parallel) }, worker))
  return written
}
