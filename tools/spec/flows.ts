// Loads the flows (spec/flows/*.yaml) and checks each against the flow schema.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { CACHE_ROOT, keptJson, packageVersions, sha, useFolder } from '../../reference/lib/contract/cache-files.ts'
import { parseYaml } from '../../reference/lib/read-yaml.ts'
import { cachedSelfContained, VALIDATOR_VERSIONS } from '../../reference/lib/contract/validator-cache.ts'
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

/** Changed whenever what readFlows makes of the files changes (the files and the schema are hashed). */
const RECIPE = 1

/**
 * The flows of `dir` and what breaks the schema, kept between processes (cache-files.ts) under a
 * hash of the files and the flow schema: parsing and checking 120 files costs ~0.8 s of CPU at
 * the start of every run, where reading the result back costs milliseconds.
 */
function readFlows (dir: string): LoadedFlows {
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()
  const texts = files.map((file) => readFileSync(join(dir, file), 'utf8'))
  return keptJson(keptFlowsFile(files, texts), () => parseFlows(files, texts))
}

/** Where what readFlows makes of these files (names and texts) is kept. */
export function keptFlowsFile (files: readonly string[], texts: readonly string[]): string {
  return join(useFolder(join(CACHE_ROOT, 'flows'), sha(JSON.stringify([RECIPE, VALIDATOR_VERSIONS, packageVersions('js-yaml'), Flow, files, texts]))), 'flows.json')
}

function parseFlows (files: readonly string[], texts: readonly string[]): LoadedFlows {
  const validate = cachedSelfContained(Flow)
  const flows: LoadedFlow[] = []
  const problems: FlowProblem[] = []
  files.forEach((file, i) => {
    let data: unknown
    try {
      data = parseYaml(texts[i]!, file)
    } catch (err) {
      problems.push({ file, message: `not YAML: ${(err as Error).message}` })
      return
    }
    if (!validate(data)) {
      for (const e of validate.errors ?? []) problems.push({ file, message: `${e.instancePath || '/'} ${e.message}` })
      return
    }
    flows.push({ file, flow: data as Flow })
  })
  return { flows, problems }
}
