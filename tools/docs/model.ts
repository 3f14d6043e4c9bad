// Everything the documentation pages cross-reference, read once from the sources: requirements
// (spec/protocol/*.md), the flows that prove them (spec/flows/*.yaml), the operations of every
// OpenAPI document, and the requirements listed as knowingly unproved (uncovered.md).
import { readdirSync } from 'node:fs'
import { DOCUMENTS, loadDocument, type DocumentName } from '../../reference/lib/contract/load-openapi.ts'
import { loadUncovered } from '../spec/coverage.ts'
import { loadFlows, type LoadedFlow } from '../spec/flows.ts'
import { loadRequirements, PROTOCOL_DIR, type Requirement } from '../spec/requirements.ts'

export type Operation = { operationId: string, document: DocumentName, method: string, path: string, summary: string }

/** One flow outcome that proves a requirement. */
export type Proof = { flow: LoadedFlow['flow'], step: string, outcome: string }

export type DocsModel = {
  /** Markdown files of spec/protocol, README first. */
  chapters: string[]
  requirements: Requirement[]
  requirement: Map<string, Requirement>
  flows: readonly LoadedFlow[]
  operations: Map<string, Operation>
  provedBy: Map<string, Proof[]>
  /** Requirement id → why no flow proves it (spec/protocol/uncovered.md). */
  uncovered: Map<string, string>
  /** operationId → ids of the requirements whose sentence names it in backticks. */
  mentionedBy: Map<string, string[]>
  /** operationId → ids of the flows that call it or expect it on the wire. */
  usedBy: Map<string, string[]>
}

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'])

function loadOperations (): Map<string, Operation> {
  const operations = new Map<string, Operation>()
  for (const document of DOCUMENTS) {
    for (const [path, item] of Object.entries(loadDocument(document).paths ?? {})) {
      for (const [method, op] of Object.entries(item)) {
        if (!HTTP_METHODS.has(method) || typeof op?.operationId !== 'string') continue
        operations.set(op.operationId, { operationId: op.operationId, document, method, path, summary: String(op.summary ?? '') })
      }
    }
  }
  return operations
}

function push<K, V> (map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key)
  if (list === undefined) map.set(key, [value])
  else if (!list.includes(value)) list.push(value)
}

export function loadDocsModel (): DocsModel {
  const { requirements } = loadRequirements()
  const { flows, problems } = loadFlows()
  if (problems.length > 0) throw new Error(`spec/flows: ${problems.map((p) => `${p.file}: ${p.message}`).join('; ')}`)
  const operations = loadOperations()
  const provedBy = new Map<string, Proof[]>()
  const usedBy = new Map<string, string[]>()
  for (const { flow } of flows) {
    for (const step of flow.steps) {
      if (step.do && 'call' in step.do && operations.has(step.do.call)) push(usedBy, step.do.call, flow.id)
      for (const ex of step.exchanges ?? []) if (ex.operation !== undefined) push(usedBy, ex.operation, flow.id)
      for (const outcome of step.outcomes) {
        for (const id of outcome.requirements) push(provedBy, id, { flow, step: step.id, outcome: outcome.text })
      }
    }
  }
  const mentionedBy = new Map<string, string[]>()
  for (const r of requirements) {
    for (const [, name] of r.text.matchAll(/`([A-Za-z]+)`/g)) if (operations.has(name!)) push(mentionedBy, name!, r.id)
  }
  const names = readdirSync(PROTOCOL_DIR).filter((f) => f.endsWith('.md')).sort()
  return {
    chapters: ['README.md', ...names.filter((f) => f !== 'README.md')],
    requirements,
    requirement: new Map(requirements.map((r) => [r.id, r])),
    flows,
    operations,
    provedBy,
    uncovered: new Map(loadUncovered().map((u) => [u.id, u.reason])),
    mentionedBy,
    usedBy
  }
}
