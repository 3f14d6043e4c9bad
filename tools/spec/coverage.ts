// Requirement coverage: which MUST-level requirements a flow step proves, which are listed as
// knowingly uncovered (spec/protocol/uncovered.md), and what is wrong with the cross-references.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { LoadedFlow } from './flows.ts'
import { PROTOCOL_DIR, type Requirement } from './requirements.ts'

export type Uncovered = { id: string, reason: string }

/** `- GRIDIM-XMPP-3 — why no flow can prove it` lines of uncovered.md. */
export function loadUncovered (file = join(PROTOCOL_DIR, 'uncovered.md')): Uncovered[] {
  const out: Uncovered[] = []
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^\s*[-*]\s+\**(GRIDIM-[A-Z]+-[0-9]+)\**\s*[—:-]+\s*(.+)$/.exec(line)
    if (m) out.push({ id: m[1]!, reason: m[2]!.trim() })
  }
  return out
}

export type CoverageReport = {
  mustTotal: number
  mustCovered: number
  percent: number
  /** MUST requirements proved by no flow and not listed in uncovered.md. */
  missing: string[]
  /** Listed as uncovered, but a flow proves them (the list is stale). */
  staleUncovered: string[]
  /** Ids named in uncovered.md that are not requirements. */
  unknownUncovered: string[]
  /** Flow references to requirement ids that do not exist. */
  unknownReferences: Array<{ flow: string, step: string, id: string }>
  /** Flow references to operationIds that do not exist. */
  unknownOperations: Array<{ flow: string, step: string, operationId: string }>
  coveredBy: Map<string, string[]>
}

const RUNNER_ACTIONS = new Set(['signOn', 'signOff', 'killRegion', 'stopRegion', 'reviveRegion', 'restartUserServer', 'wait-idle', 'probe-slow-clients', 'post-bosh-body', 'bosh-from-page', 'open-websocket', 'region-answers', 'keep-lease', 'jabber-server', 'restart-gateway', 'await', 'burst', 'partition', 'delay', 'hold', 'hold-answer', 'blackhole', 'await-held', 'heal', 'drop-held', 'open-stream', 'stream-send', 'stream-read', 'close-stream'])

export function computeCoverage (requirements: Requirement[], flows: readonly LoadedFlow[], uncovered: Uncovered[], operationIds: Set<string>): CoverageReport {
  const ids = new Set(requirements.map((r) => r.id))
  const coveredBy = new Map<string, string[]>()
  const unknownReferences: CoverageReport['unknownReferences'] = []
  const unknownOperations: CoverageReport['unknownOperations'] = []
  for (const { flow } of flows) {
    for (const step of flow.steps) {
      const where = `${flow.id}#${step.id}`
      // A `send` names a stanza schema, which the flow schema itself checks.
      if (step.do && 'call' in step.do && !RUNNER_ACTIONS.has(step.do.call) && !operationIds.has(step.do.call)) {
        unknownOperations.push({ flow: flow.id, step: step.id, operationId: step.do.call })
      }
      for (const ex of step.exchanges ?? []) {
        if (ex.operation && !operationIds.has(ex.operation)) unknownOperations.push({ flow: flow.id, step: step.id, operationId: ex.operation })
      }
      for (const outcome of step.outcomes) {
        if (outcome.expect?.kind === 'exchange' && !operationIds.has(outcome.expect.operation)) {
          unknownOperations.push({ flow: flow.id, step: step.id, operationId: outcome.expect.operation })
        }
        for (const id of outcome.requirements) {
          if (!ids.has(id)) { unknownReferences.push({ flow: flow.id, step: step.id, id }); continue }
          coveredBy.set(id, [...(coveredBy.get(id) ?? []), where])
        }
      }
    }
  }
  const must = requirements.filter((r) => r.level === 'must')
  const listed = new Set(uncovered.map((u) => u.id))
  const mustCovered = must.filter((r) => coveredBy.has(r.id)).length
  return {
    mustTotal: must.length,
    mustCovered,
    percent: must.length === 0 ? 100 : Math.round((1000 * mustCovered) / must.length) / 10,
    missing: must.filter((r) => !coveredBy.has(r.id) && !listed.has(r.id)).map((r) => r.id),
    staleUncovered: uncovered.filter((u) => coveredBy.has(u.id)).map((u) => u.id),
    unknownUncovered: uncovered.filter((u) => !ids.has(u.id)).map((u) => u.id),
    unknownReferences,
    unknownOperations,
    coveredBy
  }
}
