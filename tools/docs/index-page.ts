// index.html: the way in — the chapters, the API references, the operations and the flows.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { DOCUMENTS, loadDocument } from '../../reference/lib/contract/load-openapi.ts'
import { PROTOCOL_DIR } from '../spec/requirements.ts'
import type { Output } from '../generate/header.ts'
import { escapeHtml } from '../../conformance/lib/escape-html.ts'
import { sourceText } from './flow-pages.ts'
import { page } from './layout.ts'
import { linksFrom } from './links.ts'
import type { DocsModel } from './model.ts'
import { chapterTitle } from './spec-pages.ts'

export function renderIndex (model: DocsModel): Output {
  const links = linksFrom(model, 0)
  const chapters = model.chapters.map((chapter) => {
    const count = model.requirements.filter((r) => r.chapter === chapter).length
    const title = chapterTitle(readFileSync(join(PROTOCOL_DIR, chapter), 'utf8'), chapter)
    return `<li><a href="${links.chapter(chapter)}">${escapeHtml(title)}</a>${count > 0 ? ` <span class="muted">— ${count} requirements</span>` : ''}</li>`
  })
  const apis = DOCUMENTS.map((d) => {
    const doc = loadDocument(d)
    const ops = [...model.operations.values()].filter((o) => o.document === d).length
    return `<li><a href="${links.api(d)}">${escapeHtml(doc.info.title)}</a> <span class="muted">— openapi/${d}.yaml, ${ops} operations (<a href="${links.root}operations.html#${d}">index</a>)</span></li>`
  })
  const must = model.requirements.filter((r) => r.level === 'must')
  const proved = must.filter((r) => model.provedBy.has(r.id)).length
  const flows = model.flows.map(({ flow }) =>
    `<tr><td><a href="${links.flow(flow.id)}">${escapeHtml(flow.title)}</a></td><td><code>${flow.id}</code></td><td>${escapeHtml(sourceText(flow.source))}</td><td>${flow.steps.length}</td></tr>`)
  const body = ['<h1>GridIM documentation</h1>',
    '<p>Presence and instant messaging for virtual-world grids, with a bridge to XMPP. The normative text says what each role MUST do; ' +
    'each requirement links to the flow steps that prove it, and each operation to its Redoc reference. Built by <code>npm run docs</code>.</p>',
    `<p>${model.requirements.length} requirements (${must.length} MUST, ${proved} of them proved by a flow, ${model.uncovered.size} listed as ` +
    `<a href="${links.chapter('uncovered.md')}">not provable by a flow</a>), ${model.operations.size} operations, ${model.flows.length} flows.</p>`,
    '<h2 id="specification">Specification</h2>', `<ul>${chapters.join('')}</ul>`,
    '<h2 id="api">HTTP contracts (Redoc)</h2>', `<ul>${apis.join('')}</ul>`,
    `<p><a href="${links.root}operations.html">All operations</a>, with the requirements that name each one and the flows that exercise it.</p>`,
    '<h2 id="flows">Flows</h2>', '<p>The conformance runner replays these against an implementation; each outcome names the requirements it proves.</p>',
    `<table><tr><th>flow</th><th>id</th><th>source</th><th>steps</th></tr>${flows.join('\n')}</table>`].join('\n')
  return { path: 'index.html', content: page('GridIM documentation', links, body) }
}
