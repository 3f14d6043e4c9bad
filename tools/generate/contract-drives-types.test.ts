// The contract drives the code: the handlers, clients and simulated roles are typed from the
// types `npm run generate` writes from the OpenAPI documents, so a schema that changes under the
// code fails the type check. Shown on a temporary copy of the tree: three changes to the contract,
// regenerate, `tsc` must fail — and fail where the code no longer follows, in each part of it.
import t from 'tap'
import { execFile } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { ROOT } from './main.ts'

const run = promisify(execFile)
const COPIED = ['openapi', 'reference', 'conformance', 'spec', 'tools', 'tsconfig.json', 'package.json']

/** Replaces `from` by `to` in a file of the copy; the test fails loudly if the text is not there. */
function edit (dir: string, path: string, from: string | RegExp, to: string): void {
  const file = join(dir, path)
  const before = readFileSync(file, 'utf8')
  const after = before.replace(from, to)
  if (after === before) throw new Error(`${path}: ${String(from)} not found — update this test with the contract`)
  writeFileSync(file, after)
}

async function typecheck (dir: string): Promise<{ code: number, output: string }> {
  try {
    const { stdout } = await run(process.execPath, [resolve(ROOT, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', 'tsconfig.json'], { cwd: dir, maxBuffer: 64 * 1024 * 1024, timeout: 300_000 })
    return { code: 0, output: stdout }
  } catch (err) {
    const { code, stdout } = err as { code?: number, stdout?: string }
    return { code: typeof code === 'number' ? code : 1, output: stdout ?? '' }
  }
}

t.test('a schema changed under the code fails the type check where the code uses it', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'gridim-contract-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  for (const name of COPIED) {
    cpSync(join(ROOT, name), join(dir, name), { recursive: true, filter: (src) => !/[/\\](\.tap|data|node_modules)$/.test(src) })
  }
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir')

  // 1. A property renamed in a shared schema: every side that builds or reads instant messages.
  edit(dir, 'openapi/components/common.yaml', /(\n {4}InstantMessage:\n(?:.*\n)*?) {6}required: \[messageId, fromUserId, fromName,/, '$1      required: [messageId, fromUserId, senderName,')
  edit(dir, 'openapi/components/common.yaml', /(\n {4}InstantMessage:\n(?:.*\n)*? {8})fromName:/, '$1senderName:')
  // 2. A property renamed in a client schema: the region's event log and every client reading it.
  edit(dir, 'openapi/components/client.yaml', /(\n {4}EventPage:\n(?:.*\n)*?) {6}required: \[events, cursor\]\n {6}properties:\n {8}events:/, '$1      required: [entries, cursor]\n      properties:\n        entries:')
  // 3. A success status the code answers with taken out of the contract (201 → 202).
  edit(dir, 'openapi/user-server.yaml', /(operationId: storeOfflineMessage\n(?:.*\n)*? {6}responses:\n {8})'201':/, "$1'202':")

  await run(process.execPath, ['--import=tsx', 'tools/generate/main.ts'], { cwd: dir, timeout: 120_000 })
  const generated = readFileSync(join(dir, 'openapi/generated/types/region.ts'), 'utf8')
  t.match(generated, /senderName: components\["schemas"\]\["UserName"\]/, 'the generated types follow the changed contract')

  const { code, output } = await typecheck(dir)
  t.not(code, 0, 'tsc fails')
  const errors = output.split('\n').filter((line) => /error TS\d+/.test(line))
  const files = new Set(errors.map((line) => line.replace(/\(\d+,\d+\).*$/, '')))
  t.ok(errors.length > 0, `${errors.length} type errors`)
  for (const part of ['reference/user-server/', 'reference/region/', 'reference/gateway/', 'conformance/']) {
    t.ok([...files].some((f) => f.startsWith(part)), `the change breaks ${part}`)
  }
  t.ok(files.has('reference/user-server/routes/store-offline-message.ts'), 'a handler answering a status its contract no longer lists fails')
  t.ok(errors.some((line) => /fromName|senderName/.test(line)), 'the errors name the renamed property')
  t.ok(files.has('conformance/lib/client-session.ts'), 'the runner\'s client reads the event page by the contract')
})
