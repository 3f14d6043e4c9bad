// Rendered documentation: the normative text as one HTML page (each requirement id an anchor),
// and one page per OpenAPI document listing its operations with their examples. Plain,
// dependency-light and deterministic so the staleness check can compare byte for byte.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { marked } from 'marked'
import { DOCUMENTS, loadDocument, type DocumentName } from '../../reference/lib/contract/load-openapi.ts'
import { PROTOCOL_DIR } from '../spec/requirements.ts'
import { header, type Output } from './header.ts'

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
code,pre{font:14px/1.4 ui-monospace,monospace;background:#f5f5f5}pre{padding:.5rem;overflow:auto}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:left}
.req{font-weight:bold;color:#8a1c1c}.method{font-weight:bold;text-transform:uppercase}
nav a{margin-right:1rem}`

export function escapeHtml (s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

function page (title: string, source: string, body: string): string {
  const nav = ['<a href="../../../spec/generated/html/index.html">Specification</a>',
    ...DOCUMENTS.map((d) => `<a href="../../../openapi/generated/html/${d}.html">${d}</a>`)].join('')
  return `<!doctype html>\n${header(source, 'html')}<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>` +
    `<style>${STYLE}</style></head><body><nav>${nav}</nav>\n${body}\n</body></html>\n`
}

function renderSpec (): Output {
  const chapters = readdirSync(PROTOCOL_DIR).filter((f) => f.endsWith('.md')).sort()
  const parts = chapters.map((file) => {
    const html = marked.parse(readFileSync(join(PROTOCOL_DIR, file), 'utf8'), { async: false }) as string
    return `<section id="${file.replace(/\.md$/, '')}">\n${html.replace(/<strong>(GRIDIM-[A-Z]+-[0-9]+)<\/strong>/g,
      '<a class="req" id="$1" href="#$1">$1</a>')}</section>`
  })
  return { path: 'spec/generated/html/index.html', content: page('GridIM specification', 'spec/protocol/*.md', parts.join('\n')) }
}

type Deref = (node: any) => any

function renderExamples (content: Record<string, any> | undefined, deref: Deref): string {
  if (!content) return ''
  return Object.entries(content).map(([type, media]) => {
    const examples = Object.entries(media.examples ?? {}).map(([name, ex]) => [name, deref(ex)]) as Array<[string, any]>
    return examples.map(([name, ex]) =>
      `<p><code>${escapeHtml(type)}</code> — ${escapeHtml(ex.summary ?? name)}</p><pre>${escapeHtml(
        typeof ex.value === 'string' ? ex.value : JSON.stringify(ex.value, null, 2))}</pre>`).join('\n')
  }).join('\n')
}

function renderDocument (name: DocumentName): Output {
  const doc = loadDocument(name)
  const deref: Deref = (node) => node?.$ref ? node.$ref.slice(2).split('/').reduce((a: any, k: string) => a?.[k], doc) : node
  const sections: string[] = [`<h1>${escapeHtml(doc.info.title)} <small>${escapeHtml(doc.info.version)}</small></h1>`,
    marked.parse(String((doc.info as any).description ?? ''), { async: false }) as string]
  const rows: string[] = []
  const details: string[] = []
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(item)) {
      if (typeof op !== 'object' || op === null || !('operationId' in op)) continue
      rows.push(`<tr><td><a href="#${op.operationId}">${op.operationId}</a></td><td class="method">${method}</td><td><code>${escapeHtml(path)}</code></td><td>${escapeHtml(op.summary ?? '')}</td></tr>`)
      const responses = Object.entries(op.responses ?? {}).map(([status, r]: [string, any]) => {
        const resolved = deref(r)
        return `<h4>${status} ${escapeHtml(resolved?.description ?? '')}</h4>${renderExamples(resolved?.content, deref)}`
      }).join('\n')
      details.push(`<h3 id="${op.operationId}"><span class="method">${method}</span> <code>${escapeHtml(path)}</code> — ${op.operationId}</h3>\n` +
        (marked.parse(String(op.description ?? op.summary ?? ''), { async: false }) as string) +
        (op.requestBody ? `<h4>Request</h4>${renderExamples(deref(op.requestBody).content, deref)}` : '') + responses)
    }
  }
  sections.push('<h2>Operations</h2><table><tr><th>operationId</th><th>method</th><th>path</th><th>summary</th></tr>',
    ...rows, '</table>', ...details)
  return { path: `openapi/generated/html/${name}.html`, content: page(doc.info.title, `openapi/${name}.yaml`, sections.join('\n')) }
}

export function generateHtml (): Output[] {
  return [renderSpec(), ...DOCUMENTS.map(renderDocument)]
}
