// Prints the failed assertions of the last tap run, file by file, from tap's saved results
// (.tap/test-results/**/*.tap). `.ci/run` calls it when `npm test` fails, so the end of a long CI
// log names what failed and why, instead of only the coverage table that tap prints last.
// Exits 0 whatever it finds: it only reports.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const RESULTS = fileURLToPath(new URL('../../.tap/test-results', import.meta.url))
/** Lines of a failure's YAML diagnostics kept, so one huge diff cannot bury the others. */
const DIAGNOSTIC_LINES = 40

/** The saved results of every test file, as paths relative to RESULTS ([] when there are none). */
function tapFiles () {
  try {
    return readdirSync(RESULTS, { recursive: true }).filter((path) => path.endsWith('.tap')).sort()
  } catch {
    return []
  }
}

/** The failed points of one file's TAP: each `not ok` line that is no todo or skip, with its diagnostics. */
export function failuresIn (tap) {
  const lines = tap.split('\n')
  const failures = []
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    if (!/^\s*not ok\b/.test(line) || /#\s*(TODO|SKIP)\b/i.test(line)) continue
    const indent = line.length - line.trimStart().length
    const block = [line.trim()]
    // The YAML block that follows, indented deeper than the point itself ('---' … '...').
    if (lines[i + 1]?.trim() === '---') {
      for (let j = i + 1; j < lines.length; j++) {
        const next = lines[j]
        if (next.length - next.trimStart().length <= indent && next.trim() !== '') break
        if (block.length <= DIAGNOSTIC_LINES) block.push(next.slice(indent))
        if (next.trim() === '...') break
      }
    }
    failures.push(block.join('\n'))
  }
  return failures
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  let failed = 0
  for (const path of tapFiles()) {
    const failures = failuresIn(readFileSync(join(RESULTS, path), 'utf8'))
    if (failures.length === 0) continue
    failed++
    console.log(`\n## ${path.replace(/\.tap$/, '')}\n`)
    for (const failure of failures) console.log(failure + '\n')
  }
  console.log(failed === 0 ? 'No failed assertion in .tap/test-results.' : `${failed} test file(s) with failed assertions (above).`)
}
