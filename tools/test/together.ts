// Small unit-test files that run together, one process per group, in `npm test`.
//
// Every test file tap starts is a process of its own that loads tsx, tap's hooks and the modules
// under test before its first assertion, and writes a coverage dump after its last: 2.5–3 s of
// CPU, while most unit-test files take well under a second of their own. A group's files are
// imported one after another by one process (tools/test/together/<group>.test.ts), their tests
// queued on the one root test, so that cost is paid once a group.
//
// .taprc leaves each grouped folder's files out of tap's own search (`exclude`), so they do not
// run twice; `npx tap <file>` still runs one of them on its own. runGroup checks the two lists
// agree, so a folder cannot be left out of the suite by an exclusion no group makes up for.
import t from 'tap'
import { readdirSync, readFileSync } from 'node:fs'
import { parseYaml } from '../../reference/lib/read-yaml.ts'

/** The groups: their folders, relative to the repository, whose `*.test.ts` files (not sub-folders) run together. */
export const GROUPS = {
  'user-server-routes': ['reference/user-server/routes'],
  'user-server': ['reference/user-server', 'reference/user-server/group-sessions', 'reference/user-server/offline', 'reference/user-server/notices'],
  region: ['reference/region'],
  'lib-and-store': ['reference/lib/signatures', 'reference/lib/contract', 'reference/lib/errors', 'reference/lib/http', 'reference/store', 'reference/store/sqlite', 'reference/cli'],
  xmpp: ['reference/xmpp/stanza', 'reference/xmpp/stream', 'reference/xmpp/bosh', 'reference/xmpp/c2s', 'reference/xmpp/origin', 'reference/xmpp/websocket'],
  'conformance-runner': ['conformance/runner'],
  'conformance-parts': ['conformance/lib', 'conformance/report', 'conformance/contract', 'conformance/jabber', 'conformance/xmpp'],
  tools: ['tools/chaos', 'tools/spec', 'tools/test']
} as const satisfies Record<string, readonly string[]>

export type Group = keyof typeof GROUPS

const ROOT = new URL('../../', import.meta.url)
const GROUP_FILES = new URL('together/', import.meta.url)

/** The pattern .taprc excludes a grouped folder's files by. */
export const exclusionOf = (folder: string): string => `${folder}/*.test.ts`

export const testFilesIn = (folder: string): string[] =>
  readdirSync(new URL(`${folder}/`, ROOT)).filter((name) => name.endsWith('.test.ts')).sort()

/** What is wrong between GROUPS, .taprc's exclusions and the group files: [] when they agree. */
export function disagreements (taprc: string = readFileSync(new URL('.taprc', ROOT), 'utf8'), groupFiles: string[] = readdirSync(GROUP_FILES)): string[] {
  const excluded = new Set((parseYaml(taprc, '.taprc') as { exclude?: string[] }).exclude ?? [])
  const grouped = new Set(Object.values(GROUPS).flat().map(exclusionOf))
  const problems: string[] = []
  for (const pattern of grouped) if (!excluded.has(pattern)) problems.push(`${pattern} is grouped but not excluded in .taprc: its files would run twice`)
  for (const pattern of excluded) if (pattern.endsWith('/*.test.ts') && !grouped.has(pattern)) problems.push(`${pattern} is excluded in .taprc but in no group: its files would never run`)
  for (const group of Object.keys(GROUPS)) if (!groupFiles.includes(`${group}.test.ts`)) problems.push(`group ${group} has no tools/test/together/${group}.test.ts`)
  for (const file of groupFiles) if (!(file.replace(/\.test\.ts$/, '') in GROUPS)) problems.push(`tools/test/together/${file} names no group`)
  return problems
}

/**
 * Runs a group: first the check that .taprc agrees, then each of its files, in order. The files
 * are imported inside a test of their own, so that the root test, which ends once its queue is
 * empty where a file gave it a teardown, cannot end while a later file is still loading; each
 * file's tests queue on the root behind it.
 */
export function runGroup (group: Group): void {
  t.test(`the group ${group} and .taprc agree`, async (t) => {
    t.same(disagreements(), [])
  })
  t.test(`the files of the group ${group} load`, async (t) => {
    for (const folder of GROUPS[group]) {
      const files = testFilesIn(folder)
      t.ok(files.length > 0, `${folder} has test files`)
      for (const file of files) await import(new URL(`${folder}/${file}`, ROOT).href)
    }
  })
}
