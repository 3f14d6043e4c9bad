// The flows are kept between processes under a hash of the files and the schema: a folder with
// the same files reads them back (problems too), a changed file is read and checked anew.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import t from 'tap'
import { FLOWS_DIR, keptFlowsFile, loadFlows } from './flows.ts'

function folder (files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'gridim-flows-'))
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text)
  return dir
}

const good = readdirSync(FLOWS_DIR).find((f) => f.startsWith('09-'))!

t.test('the same files read back the same flows and problems; a changed file is checked anew', async (t) => {
  const marker = `# ${process.pid} ${Date.now()}\n`
  const dirs: string[] = []
  t.teardown(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }) })
  const make = (files: Record<string, string>): string => { const d = folder(files); dirs.push(d); return d }
  const files = { 'broken.yaml': `${marker}id: x\ntitle: [`, 'wrong.yaml': `${marker}id: 1\n` }
  const a = make(files)
  cpSync(join(FLOWS_DIR, good), join(a, good))
  const b = make(files)
  cpSync(join(FLOWS_DIR, good), join(b, good))
  const first = loadFlows(a)
  t.equal(first.flows.length, 1)
  t.same([...new Set(first.problems.map((p) => p.file))], ['broken.yaml', 'wrong.yaml'])
  t.match(first.problems[0]!.message, /^not YAML/)
  const names = readdirSync(a).sort()
  const kept = keptFlowsFile(names, names.map((n) => readFileSync(join(a, n), 'utf8')))
  t.same(JSON.parse(readFileSync(kept, 'utf8')), first, 'what is kept is what was read')
  // b's files are a's: loading b reads what a left (marked here, to tell it from a reading).
  const marked = { ...first, problems: [...first.problems, { file: 'kept.yaml', message: 'kept' }] }
  writeFileSync(kept, JSON.stringify(marked))
  const again = loadFlows(b)
  t.same(again, marked, 'read back, not read again')
  t.ok(Object.isFrozen(again.flows[0]!.flow), 'frozen like a fresh read')
  t.teardown(() => { rmSync(dirname(kept), { recursive: true, force: true }) })
  // The same names, one text changed: read and checked anew.
  const c = make({ ...files, 'wrong.yaml': `${marker}id: x\ntitle: 7\n` })
  cpSync(join(FLOWS_DIR, good), join(c, good))
  const changed = loadFlows(c)
  const keptC = keptFlowsFile(names, names.map((n) => readFileSync(join(c, n), 'utf8')))
  t.teardown(() => { rmSync(dirname(keptC), { recursive: true, force: true }) })
  t.not(keptC, kept, 'kept under another name')
  t.notOk(changed.problems.some((p) => p.file === 'kept.yaml'), 'not the marked file')
  t.ok(changed.problems.some((p) => p.file === 'wrong.yaml' && /^\/title must be string/.test(p.message)), 'the changed file checked itself', { problems: changed.problems })
})
