// `npm run docs`: the whole documentation site into one folder — Redoc pages under api/, the
// normative text under spec/, the flows under flows/, operations.html and index.html.
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { DOCUMENTS } from '../../reference/lib/contract/load-openapi.ts'
import type { Output } from '../generate/header.ts'
import { renderFlows } from './flow-pages.ts'
import { renderIndex } from './index-page.ts'
import { loadDocsModel, type DocsModel } from './model.ts'
import { renderOperations } from './operations-page.ts'
import { renderRedocPages } from './redoc.ts'
import { renderChapters } from './spec-pages.ts'

export type DocsSummary = { outDir: string, pages: number, redocPages: number, ms: number }

export function renderOwnPages (model: DocsModel): Output[] {
  return [renderIndex(model), renderOperations(model), ...renderChapters(model), ...renderFlows(model)]
}

export function writeOutputs (outDir: string, outputs: Output[]): void {
  for (const { path, content } of outputs) {
    mkdirSync(dirname(join(outDir, path)), { recursive: true })
    writeFileSync(join(outDir, path), content)
  }
}

/** Marks a folder as ours, so that rendering again may empty it. */
export const MARKER = '.gridim-docs'

/** Empties the output folder (a page of a flow or chapter since removed must not linger), but never a folder we did not write. */
export function clearOutput (outDir: string): void {
  if (existsSync(outDir) && readdirSync(outDir).length > 0 && !existsSync(join(outDir, MARKER))) {
    throw new Error(`${outDir} is not empty and was not written by \`npm run docs\`: refusing to replace it`)
  }
  rmSync(outDir, { recursive: true, force: true })
  mkdirSync(outDir, { recursive: true })
  writeFileSync(join(outDir, MARKER), 'Written by `npm run docs`; the whole folder is replaced on the next run.\n')
}

export async function renderDocs (outDir: string): Promise<DocsSummary> {
  const started = performance.now()
  clearOutput(outDir)
  const model = loadDocsModel()
  const own = renderOwnPages(model)
  writeOutputs(outDir, own)
  const redoc = await renderRedocPages(DOCUMENTS, outDir, model)
  return { outDir, pages: own.length + redoc.length, redocPages: redoc.length, ms: Math.round(performance.now() - started) }
}
