// The sentence of each requirement, so a failure can quote what it breaks.
import { loadRequirements } from '../../tools/spec/requirements.ts'

let texts: Map<string, string> | undefined

export function requirementText (id: string): string {
  texts ??= new Map(loadRequirements().requirements.map((r) => [r.id, r.text]))
  return texts.get(id) ?? '(not in the specification)'
}

export function rerunCommand (flow: string): string {
  return `npx gridim-conformance --flow ${flow}`
}
