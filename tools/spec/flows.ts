// Loads the flows (spec/flows/*.yaml) and checks each against the flow schema.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseYaml } from '../../reference/lib/read-yaml.ts'
import { createAjv } from '../../reference/lib/contract/ajv.ts'
import { Flow } from '../../spec/flows/schema.ts'
import { SPEC_DIR } from './requirements.ts'

export const FLOWS_DIR = join(SPEC_DIR, 'flows')

export type LoadedFlow = { file: string, flow: Flow }
export type FlowProblem = { file: string, message: string }

export type LoadedFlows = { readonly flows: readonly LoadedFlow[], readonly problems: readonly FlowProblem[] }

/** Each folder's flows, read once per process: a test file replays them in many runs, each of which used to parse them anew. */
const loaded = new Map<string, LoadedFlows>()

/**
 * The flows of `dir`, checked against the flow schema; read once per process and frozen, so no
 * run can change what the next one replays. A folder whose files change while a process runs is
 * read again only by a new process.
 */
export function loadFlows (dir = FLOWS_DIR): LoadedFlows {
  let flows = loaded.get(dir)
  if (flows === undefined) {
    flows = deepFreeze(readFlows(dir))
    loaded.set(dir, flows)
  }
  return flows
}

function deepFreeze<T> (value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const inner of Object.values(value)) deepFreeze(inner)
  }
  return value
}

function readFlows (dir: string): { flows: LoadedFlow[], problems: FlowProblem[] } {
  const validate = createAjv().compile(Flow)
  const flows: LoadedFlow[] = []
  const problems: FlowProblem[] = []
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
    let data: unknown
    try {
      data = parseYaml(readFileSync(join(dir, file), 'utf8'), file)
    } catch (err) {
      problems.push({ file, message: `not YAML: ${(err as Error).message}` })
      continue
    }
    if (!validate(data)) {
      for (const e of validate.errors ?? []) problems.push({ file, message: `${e.instancePath || '/'} ${e.message}` })
      continue
    }
    flows.push({ file, flow: data as Flow })
  }
  return { flows, problems }
}
