// `npm run build` (and `prepack`): the package's dist/, a mirror of the source tree that Node
// runs without tsx. tsc compiles the library entry, the two commands and the generated types
// (tsconfig.build.json: JavaScript and declarations, `.ts` imports rewritten to `.js`); then the
// files the code reads at run time are copied to the same relative places, so every lookup by
// `import.meta.url` (OPENAPI_DIR, SPEC_DIR) finds them in dist/ exactly as in the repository.
import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const DIST = join(ROOT, 'dist')

/** Folder (relative to the root) → which of its files go to dist/ as they are. */
const ASSETS: Array<[string, (file: string) => boolean]> = [
  // The OpenAPI documents and the components they share: loadDocument bundles them, and users read them.
  ['openapi', (f) => f.endsWith('.yaml') && f !== 'redocly.yaml'],
  ['openapi/components', (f) => f.endsWith('.yaml')],
  ['openapi/generated/stanzas', (f) => f.endsWith('.schema.json')],
  ['openapi/generated/client-stream', (f) => f.endsWith('.schema.json')],
  // The flows the runner replays, the chapters it quotes requirements from, and the indexes.
  ['spec/flows', (f) => f.endsWith('.yaml')],
  ['spec/protocol', (f) => f.endsWith('.md')],
  ['spec/generated', (f) => f.endsWith('.json')],
  // The commands' launchers: beside compiled JavaScript they run it (tools/bin/launch.js).
  ['tools/bin', (f) => f.endsWith('.js')]
]

function copyAssets (): number {
  let copied = 0
  for (const [dir, wanted] of ASSETS) {
    mkdirSync(join(DIST, dir), { recursive: true })
    for (const file of readdirSync(join(ROOT, dir)).filter(wanted)) {
      copyFileSync(join(ROOT, dir, file), join(DIST, dir, file))
      copied++
    }
  }
  return copied
}

function main (): number {
  // A clean start: a file whose source is gone must not linger in the next tarball.
  rmSync(DIST, { recursive: true, force: true })
  const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' })
  if (tsc.status !== 0) {
    console.error('build: tsc failed, nothing built')
    rmSync(DIST, { recursive: true, force: true })
    return 1
  }
  console.log(`build: compiled into dist/, ${copyAssets()} files copied beside it`)
  return 0
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exitCode = main()
