// Run by tap once the suite is over (`after` in .taprc). The tests run with NODE_V8_COVERAGE set
// only because tsx then embeds the TypeScript text in its source maps (`sourcesContent`), which
// tap's coverage report needs to map V8 ranges back to .ts lines. As a side effect Node writes its
// own raw coverage dump into that directory at every process exit (a few MB each); tap measures
// with its own inspector session and never reads them, so they are dropped here.
import { rmSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

// Must match NODE_V8_COVERAGE under `test-env` in .taprc (relative to the project root).
const V8_DUMP_DIR = fileURLToPath(new URL('../../.tap/v8-dumps', import.meta.url))

rmSync(V8_DUMP_DIR, { recursive: true, force: true })
