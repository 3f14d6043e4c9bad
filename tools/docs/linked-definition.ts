// The OpenAPI document Redoc renders: the contract as it is, except that its descriptions (which
// Redoc reads as Markdown) link each requirement id to its paragraph in the spec pages, and each
// operation's description ends with the requirements that name it and a link to its entry in
// operations.html. Examples and other values are left alone: they are data, not prose.
import { loadDocument, type DocumentName } from '../../reference/lib/contract/load-openapi.ts'
import { REQUIREMENT_ID, type Links } from './links.ts'
import type { DocsModel } from './model.ts'

const DATA_KEYS = new Set(['example', 'examples', 'default', 'enum', 'const'])
const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'])

function linkIds (text: string, links: Links): string {
  return text.replace(REQUIREMENT_ID, (id) => {
    const href = links.requirement(id)
    return href === undefined ? id : `[${id}](${href})`
  })
}

function walk (node: unknown, links: Links): void {
  if (Array.isArray(node)) { for (const item of node) walk(item, links); return }
  if (typeof node !== 'object' || node === null) return
  const record = node as Record<string, unknown>
  for (const [key, value] of Object.entries(record)) {
    if (DATA_KEYS.has(key)) continue
    if (key === 'description' && typeof value === 'string') record[key] = linkIds(value, links)
    else walk(value, links)
  }
}

/** `links` must be those of a page in api/. */
export function linkedDefinition (document: DocumentName, model: DocsModel, links: Links): Record<string, any> {
  const definition = structuredClone(loadDocument(document)) as Record<string, any>
  walk(definition, links)
  for (const item of Object.values(definition.paths ?? {}) as Array<Record<string, any>>) {
    for (const [method, op] of Object.entries(item)) {
      if (!HTTP_METHODS.has(method) || typeof op?.operationId !== 'string') continue
      const ids = model.mentionedBy.get(op.operationId) ?? []
      const named = ids.length === 0 ? 'No requirement names it' : `Requirements that name it: ${ids.map((id) => linkIds(id, links)).join(', ')}`
      op.description = `${op.description ?? ''}\n\n**Specification.** ${named}; flows that exercise it: [${op.operationId} in the operations index](${links.root}operations.html#${op.operationId}).`
    }
  }
  return definition
}
