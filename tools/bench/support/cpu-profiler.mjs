// Preloaded with NODE_OPTIONS=--import=… into processes the benchmark does not start itself
// (the `gridim` roles spawned by reference/e2e): --cpu-prof is not allowed in NODE_OPTIONS, so
// this starts the V8 profiler through node:inspector and writes a .cpuprofile when the process
// exits, named after its role (GRIDIM_BENCH_CPU_PROF_NAME, else the first command word).
// Directory: GRIDIM_BENCH_CPU_PROF_DIR.
import { Session } from 'node:inspector'
import { writeFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'

const dir = process.env.GRIDIM_BENCH_CPU_PROF_DIR
if (dir) {
  const session = new Session()
  session.connect()
  session.post('Profiler.enable')
  session.post('Profiler.setSamplingInterval', { interval: 1000 })
  session.post('Profiler.start')
  const role = process.env.GRIDIM_BENCH_CPU_PROF_NAME ?? process.argv.slice(2).find((a) => !a.startsWith('-')) ?? 'node'
  process.once('exit', () => {
    // The in-process inspector session answers synchronously, so this completes inside 'exit'.
    session.post('Profiler.stop', (error, result) => {
      if (error) return
      mkdirSync(dir, { recursive: true })
      writeFileSync(join(dir, `${role}-${process.pid}.cpuprofile`), JSON.stringify(result.profile))
    })
  })
}
