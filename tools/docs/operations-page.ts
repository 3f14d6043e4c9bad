// operations.html: every operation of every OpenAPI document, with the requirements whose
// sentence names it and the flows that exercise it, each linking to its Redoc section.
import { DOCUMENTS, loadDocument } from '../../reference/lib/contract/load-openapi.ts'
import type { Output } from '../generate/header.ts'
import { escapeHtml } from '../../conformance/lib/escape-html.ts'
import { page } from './layout.ts'
import { linksFrom } from './links.ts'
import { linkRequirementIds } from './markdown.ts'
import type { DocsModel } from './model.ts'

export function renderOperations (model: DocsModel): Output {
  const links = linksFrom(model, 0)
  const sections = DOCUMENTS.map((document) => {
    const rows = [...model.operations.values()].filter((op) => op.document === document).map((op) => {
      const requirements = (model.mentionedBy.get(op.operationId) ?? []).map((id) => linkRequirementIds(id, links)).join(', ')
      const flows = (model.usedBy.get(op.operationId) ?? []).map((id) => `<a href="${links.flow(id)}">${id}</a>`).join(', ')
      return `<tr id="${op.operationId}"><td><a href="${links.operation(op.operationId)}"><code>${op.operationId}</code></a></td>` +
        `<td><span class="method">${op.method}</span> <code>${escapeHtml(op.path)}</code><br>${escapeHtml(op.summary)}</td>` +
        `<td>${requirements || '<span class="muted">none</span>'}</td><td>${flows || '<span class="muted">none</span>'}</td></tr>`
    })
    return `<h2 id="${document}"><a href="${links.api(document)}">${escapeHtml(loadDocument(document).info.title)}</a> <span class="muted">(openapi/${document}.yaml, ${rows.length} operations)</span></h2>` +
      `<table class="ops"><tr><th>operation</th><th>method, path, summary</th><th>requirements that name it</th><th>flows that exercise it</th></tr>${rows.join('\n')}</table>`
  })
  const body = ['<h1>Operations</h1>',
    '<p>Every operation of the HTTP contracts. The name opens its Redoc reference (parameters, schemas, responses, examples); ' +
    'the requirements are those whose sentence names the operation; the flows call it or expect it on the wire.</p>', ...sections].join('\n')
  return { path: 'operations.html', content: page('Operations — GridIM', links, body, true) }
}
