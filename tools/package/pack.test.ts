// The package as another project uses it (issue 13, item 3). `npm pack` builds dist/ (prepack)
// and packs it; a new project installs the tarball offline from the npm cache, compiles
// TypeScript against the exported types (and fails to compile wrong uses of them), imports the
// library and its data at run time, and runs `npx gridim-conformance --list`. That project has
// no tsx, and better-sqlite3's native addon is not built there (install scripts are off): the
// commands and the library run as compiled JavaScript, and nothing here opens a database.
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import t, { type Test } from 'tap'
import { consumerLockfile } from './consumer-lockfile.ts'
import { runCommand, type Ran } from './run-command.ts'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc')
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))
const flowIds = readdirSync(join(ROOT, 'spec/flows')).filter((f) => f.endsWith('.yaml')).map((f) => f.replace(/\.yaml$/, '')).sort()

// The build runs tsc over the reference and the runner; on a busy machine that is most of a minute.
t.setTimeout(480_000)

const work = mkdtempSync(join(tmpdir(), 'gridim-pack-'))
const project = join(work, 'project')
t.teardown(() => rmSync(work, { recursive: true, force: true }))
const started = Date.now()
t.teardown(() => { t.comment(`pack test: ${((Date.now() - started) / 1000).toFixed(1)} s`) })

const shown = (r: Ran): object => ({ code: r.code, stdout: r.stdout.slice(-3000), stderr: r.stderr.slice(-3000) })
let tarball = ''
let installed = false

/** Each step builds on the one before; after a failure the later ones only say so. */
function after (t: Test, done: boolean, step: string): boolean {
  if (!done) t.fail(`not tried: ${step} failed`)
  return done
}

t.test('npm pack builds dist/ and packs what a user needs, and nothing else', async (t) => {
  const packed = await runCommand('npm', ['pack', '--pack-destination', work], { cwd: ROOT, timeoutMs: 360_000 })
  t.equal(packed.code, 0, `npm pack (with its prepack build) in ${packed.ms} ms`, shown(packed))
  const found = readdirSync(work).find((f) => f.endsWith('.tgz'))
  if (!t.equal(found, `${manifest.name}-${manifest.version}.tgz`)) return
  tarball = found!
  const listed = await runCommand('tar', ['-tzf', join(work, tarball)], { cwd: work, timeoutMs: 30_000 })
  const files = listed.stdout.split('\n').filter(Boolean).map((f) => f.replace(/^package\//, ''))
  t.comment(`tarball: ${(statSync(join(work, tarball)).size / 1024).toFixed(0)} KiB, ${files.length} files`)
  for (const f of [
    'package.json', 'README.md',
    'dist/conformance/index.js', 'dist/conformance/index.d.ts', 'dist/reference/lib/contract/types.d.ts',
    'dist/tools/bin/gridim-conformance.js', 'dist/tools/bin/gridim.js', 'dist/tools/bin/launch.js',
    'dist/openapi/client.yaml', 'dist/openapi/components/common.yaml',
    'dist/openapi/generated/types/client.d.ts', 'dist/openapi/generated/stanzas/chat-message.schema.json',
    'dist/spec/generated/requirements.json', 'dist/spec/generated/flow.schema.json', 'dist/spec/protocol/14-errors.md',
    ...flowIds.map((id) => `dist/spec/flows/${id}.yaml`)
  ]) t.ok(files.includes(f), `the tarball has ${f}`)
  t.same(files.filter((f) => /\.test\.|(^|\/)\.tap\/|(^|\/)node_modules\//.test(f) || (f.endsWith('.ts') && !f.endsWith('.d.ts'))), [],
    'no tests, test output, dependencies or TypeScript sources')
})

t.test('a new project installs the tarball offline, without tsx and without building native code', async (t) => {
  if (!after(t, tarball !== '', 'npm pack')) return
  mkdirSync(project)
  const spec = `file:../${tarball}`
  const integrity = `sha512-${createHash('sha512').update(readFileSync(join(work, tarball))).digest('base64')}`
  const ours = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8'))
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module', dependencies: { [manifest.name]: spec } }, null, 2))
  writeFileSync(join(project, 'package-lock.json'), JSON.stringify(consumerLockfile(ours, manifest, { spec, integrity }), null, 2))
  const ci = await runCommand('npm', ['ci', '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: project, timeoutMs: 120_000 })
  installed = t.equal(ci.code, 0, `npm ci --offline in ${ci.ms} ms`, shown(ci))
  t.ok(existsSync(join(project, 'node_modules/.bin/gridim-conformance')), 'the command is linked')
  t.notOk(existsSync(join(project, 'node_modules/tsx')), 'tsx is not installed')
  t.notOk(existsSync(join(project, 'node_modules/better-sqlite3/build')), 'better-sqlite3 has no native addon')
})

// A file of the project's own, compiled with our TypeScript against what the package exports.
const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    // This repository's @types/node stands in for the one the project would install.
    typeRoots: [join(ROOT, 'node_modules/@types')],
    types: ['node']
  }
}

const IMPORTS = [
  "import type { operations } from 'gridim/types/client'",
  "import type { InstantMessage, RequestBody, SuccessBody } from 'gridim/contract'",
  "import { runConformance, runPassed, toJson, type ClientSession, type ConformanceOptions, type RunResult } from 'gridim'",
  "import { CLIENT_STREAM_PATH, type ClientFrame } from 'gridim/client-stream'"
]

const GOOD = [
  ...IMPORTS,
  "type Send = operations['clientSendInstantMessage']",
  "export const send: RequestBody<Send> = { toUserId: '7b2f4c9e-0d3a-4a8e-9f6b-1c2d3e4f5a6b', body: 'hello' }",
  "export const message: InstantMessage = { messageId: 'm', fromUserId: 'a', toUserId: 'b', fromName: 'Ann Avatar', body: 'hi', sentAt: '2026-12-02T00:00:00Z' }",
  'export async function say (session: ClientSession): Promise<SuccessBody<Send>> {',
  "  const answer = await session.call('clientSendInstantMessage', { body: send })",
  "  const outcome: 'delivered' | 'stored' | 'accepted' = answer.outcome",
  '  return { ...answer, outcome }',
  '}',
  "export const options: ConformanceOptions = { flows: ['x-region-dies'], eventTimeoutMs: 5000, onFlowEnd: (r) => console.log(r.flow, r.checks.length) }",
  'export async function check (file: string): Promise<boolean> {',
  '  const run: RunResult = await runConformance({ file }, options)',
  '  console.log(toJson(run))',
  '  return runPassed(run)',
  '}',
  "export const hello: ClientFrame = { type: 'hello', sessionSecret: 's3cret' }",
  'export const streamPath: string = CLIENT_STREAM_PATH'
]

/** Each line a wrong use that must not compile, and the error it gets. */
const WRONG: Array<[string, string]> = [
  ["type Nope = operations['clientSendMessage']", 'TS2339'],
  ["export const send: RequestBody<operations['clientSendInstantMessage']> = { toUserId: 'x', text: 'hello' }", 'TS2353'],
  ["export const message: InstantMessage = { body: 'hi' }", 'TS2739'],
  ["export const body = (s: ClientSession) => s.call('clientSendInstantMessage', { body: { toUserId: 'x' } })", 'TS2741'],
  ["export const status = (s: ClientSession) => s.call('clientNoSuchOperation')", 'TS2345'],
  ["export const run = runConformance({ fil: 'target.yaml' })", 'TS2353'],
  ["export const frame: ClientFrame = { type: 'hello', secret: 's3cret' }", 'TS2353'],
  ['export const bad: RunResult = { flows: [] }', 'TS2739']
]

t.test('TypeScript in that project compiles against the exported types, and wrong uses fail', async (t) => {
  if (!after(t, installed, 'the install')) return
  writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({ ...TSCONFIG, files: ['good.ts'] }, null, 2))
  writeFileSync(join(project, 'tsconfig.wrong.json'), JSON.stringify({ ...TSCONFIG, files: ['wrong.ts'] }, null, 2))
  writeFileSync(join(project, 'good.ts'), GOOD.join('\n') + '\n')
  writeFileSync(join(project, 'wrong.ts'), [...IMPORTS, ...WRONG.map(([line]) => line)].join('\n') + '\n')

  const good = await runCommand(process.execPath, [TSC, '-p', 'tsconfig.json'], { cwd: project, timeoutMs: 120_000 })
  t.equal(good.code, 0, `good.ts compiles (${good.ms} ms)`, shown(good))

  const wrong = await runCommand(process.execPath, [TSC, '-p', 'tsconfig.wrong.json'], { cwd: project, timeoutMs: 120_000 })
  t.not(wrong.code, 0, 'wrong.ts does not compile')
  const errors = [...wrong.stdout.matchAll(/^(\S+)\((\d+),\d+\): error (TS\d+)/gm)].map(([, file, line, code]) => `${file}:${line} ${code}`)
  const first = IMPORTS.length + 1
  t.same(errors.sort(), WRONG.map(([, code], i) => `wrong.ts:${first + i} ${code}`).sort(), 'each wrong line fails, with its error, and nothing else does', shown(wrong))
})

t.test('the library and its data load at run time from the installed package', async (t) => {
  if (!after(t, installed, 'the install')) return
  writeFileSync(join(project, 'use.mjs'), [
    "import { readFileSync } from 'node:fs'",
    "import { fileURLToPath } from 'node:url'",
    "import { DOCUMENTS, loadDocument, loadFlows, runConformance } from 'gridim'",
    "import requirements from 'gridim/requirements.json' with { type: 'json' }",
    "import stanza from 'gridim/schemas/stanzas/chat-message.schema.json' with { type: 'json' }",
    "import eventFrame from 'gridim/schemas/client-stream/event.schema.json' with { type: 'json' }",
    "import flowSchema from 'gridim/schemas/flow.schema.json' with { type: 'json' }",
    "const yaml = readFileSync(fileURLToPath(import.meta.resolve('gridim/openapi/client.yaml')), 'utf8')",
    'const { flows, problems } = loadFlows()',
    'console.log(JSON.stringify({',
    '  runConformance: typeof runConformance,',
    '  paths: Object.fromEntries(DOCUMENTS.map((d) => [d, Object.keys(loadDocument(d).paths).length > 0])),',
    "  login: '/client/login' in loadDocument('client').paths,",
    '  flows: flows.map((f) => f.flow.id), problems: problems.length,',
    '  requirements: requirements.requirements.length, stanza: typeof stanza.properties, flowSchema: flowSchema.$id, eventFrame: eventFrame.$id,',
    "  clientYaml: /^openapi: 3\\.1/m.test(yaml)",
    '}))'
  ].join('\n') + '\n')
  const used = await runCommand(process.execPath, ['use.mjs'], { cwd: project, timeoutMs: 60_000 })
  t.equal(used.code, 0, 'use.mjs runs', shown(used))
  const requirements = JSON.parse(readFileSync(join(ROOT, 'spec/generated/requirements.json'), 'utf8')).requirements.length
  t.same(JSON.parse(used.stdout), {
    runConformance: 'function',
    paths: { 'user-server': true, region: true, client: true, admin: true, gateway: true },
    login: true,
    flows: flowIds,
    problems: 0,
    requirements,
    stanza: 'object',
    flowSchema: 'urn:gridim:flow',
    eventFrame: 'urn:gridim:client-stream:event',
    clientYaml: true
  }, 'the OpenAPI documents, the flows, the requirement index and the JSON Schemas are all there')
})

t.test('npx gridim-conformance --list runs there and names the flows', async (t) => {
  if (!after(t, installed, 'the install')) return
  const listed = await runCommand('npx', ['--offline', 'gridim-conformance', '--list'], { cwd: project, timeoutMs: 60_000 })
  t.equal(listed.code, 0, `npx gridim-conformance --list (${listed.ms} ms)`, shown(listed))
  t.same(listed.stdout.split('\n').filter(Boolean).map((l) => l.split(/\s+/)[0]), flowIds, 'one line a flow, in order')
  t.match(listed.stdout, /^x-region-dies\s+\S/m)
})

t.test('npx gridim, the reference grid\'s command, runs there too', async (t) => {
  if (!after(t, installed, 'the install')) return
  const help = await runCommand('npx', ['--offline', 'gridim', '--help'], { cwd: project, timeoutMs: 60_000 })
  t.equal(help.code, 0, `npx gridim --help (${help.ms} ms)`, shown(help))
  t.match(help.stdout, /^gridim — the GridIM reference grid/)
})
