// `npm run chaos`: the chaos run of issue 11 at a size of your choosing — real `gridim`
// processes, kill -9 of the recipients' region and of the user server under a steady stream of
// instant messages — printing what was sent, read, duplicated and lost. Exit status 1 when a
// message was lost or a friend was still shown online after the lease.
import { formatTable } from '../bench/harness/table.ts'
import { machine } from '../bench/harness/machine.ts'
import { CHAOS_HELP as HELP, parseChaosArgs } from './args.ts'
import { chaosTables } from './report.ts'
import { runChaos } from './scenario.ts'

async function main (argv: string[]): Promise<number> {
  if (argv.includes('-h') || argv.includes('--help')) { console.log(HELP); return 0 }
  let params: ReturnType<typeof parseChaosArgs>
  try {
    params = parseChaosArgs(argv)
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${HELP}`)
    return 2
  }
  const { json, ...chaos } = params
  const m = machine()
  console.log(`GridIM chaos run — ${m.date}\n${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node}, load average ${m.loadAverage.join(' ')}\n`)
  const result = await runChaos({ ...chaos, log: (line) => process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`) })
  for (const table of chaosTables(result)) console.log(formatTable(table) + '\n')
  if (result.lost.length > 0) console.log(`lost (first ${result.lost.length}): ${result.lost.map((l) => `${l.messageId} ${l.outcome} at ${(l.startedAtMs / 1000).toFixed(1)} s`).join('; ')}\n`)
  console.log(`${Math.round(result.durationMs / 1000)} s in all`)
  if (json) console.log(JSON.stringify(result))
  return result.counts.lost === 0 && result.presence.ok ? 0 : 1
}

main(process.argv.slice(2)).then((code) => process.exit(code), (error: Error) => {
  console.error(error.stack ?? error.message)
  process.exit(1)
})
