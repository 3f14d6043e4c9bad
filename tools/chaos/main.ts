// `npm run chaos`: the chaos run of issue 11 at a size of your choosing — real `gridim`
// processes, kill -9 of the recipients' region and of the user server under a steady stream of
// instant messages — printing what was sent, read, duplicated and lost. Exit status 1 when a
// message was lost or a friend was still shown online after the lease.
import { formatTable } from '../bench/harness/table.ts'
import { machine } from '../bench/harness/machine.ts'
import { CHAOS_HELP as HELP, parseChaosArgs } from './args.ts'
import { runInstancesChaos } from './instances-scenario.ts'
import { chaosTables, instancesChaosTables } from './report.ts'
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
  const { json, userServers, churners, groupRatePerSecond, deadSeconds, killInstance, ...chaos } = params
  const m = machine()
  console.log(`GridIM chaos run — ${m.date}\n${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node}, load average ${m.loadAverage.join(' ')}\n`)
  const log = (line: string): void => { process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`) }
  if (userServers > 0) return await instances({ ...chaos, userServers, churners, groupRatePerSecond, deadSeconds, killInstance, log }, json)
  const result = await runChaos({ ...chaos, log })
  for (const table of chaosTables(result)) console.log(formatTable(table) + '\n')
  if (result.lost.length > 0) console.log(`lost (first ${result.lost.length}): ${result.lost.map((l) => `${l.messageId} ${l.outcome} at ${(l.startedAtMs / 1000).toFixed(1)} s`).join('; ')}\n`)
  console.log(`${Math.round(result.durationMs / 1000)} s in all`)
  if (json) console.log(JSON.stringify(result))
  return result.counts.lost === 0 && result.presence.ok ? 0 : 1
}

/** `--user-servers N`: the run against N instances on PostgreSQL, with sign-ons and group traffic. */
async function instances (params: Parameters<typeof runInstancesChaos>[0], json: boolean): Promise<number> {
  const result = await runInstancesChaos(params)
  for (const table of instancesChaosTables(result)) console.log(formatTable(table) + '\n')
  if (result.lost.length > 0) console.log(`lost (first ${result.lost.length}): ${result.lost.map((l) => `${l.messageId} ${l.outcome} at ${(l.startedAtMs / 1000).toFixed(1)} s`).join('; ')}\n`)
  if (result.groupLost.length > 0) {
    console.log(`group messages lost (first ${result.groupLost.length}; instance killed at ${(result.instanceKilledAtMs / 1000).toFixed(2)} s): ${result.groupLost.map((l) =>
      `${l.messageId} sent at ${(l.startedAtMs / 1000).toFixed(2)} s, answered at ${(l.answeredAtMs / 1000).toFixed(2)} s after ${l.attempts} attempt(s), unread by ${l.missing.length} of ${l.members} (${l.missing.join(' ')})`).join('; ')}\n`)
  }
  const sec = (ms: number): string => (ms / 1000).toFixed(2)
  for (const l of result.lostDetail) console.log(`lost ${l.messageId} to ${l.recipient}: ${l.stillStored ? 'still held offline by the user server' : 'no longer held offline by the user server'}; ${l.atR2}; its sign-offs at ${l.signOffsMs.map(sec).join(', ')} s, sign-ons at ${l.signOnsMs.map(sec).join(', ')} s${l.logs.length ? `\n  ${l.logs.join('\n  ')}` : ''}`)
  for (const r of result.rejoinRefusals) console.log(`rejoin refused with ${r.code} at ${sec(r.atMs)} s`)
  if (result.churn.signOffRefusals.length > 0) console.log(`sign-offs refused: ${result.churn.signOffRefusals.join(', ')}`)
  for (const e of result.groupErrors) console.log(`group message ${e.messageId} ended with ${e.error} at ${sec(e.failedAtMs)} s (begun ${sec(e.startedAtMs)} s, ${e.attempts} attempt(s)), read by ${e.readBy} member(s) anyway`)
  if (result.repeats.length > 0) console.log(`instant messages read more than once (hidden by messageId): ${result.repeats.map((r) => `${r.messageId.slice(0, 8)} ${r.outcome} begun ${sec(r.startedAtMs)} s read at ${r.readsAtMs.map(sec).join(', ')} s`).join('; ')}`)
  console.log(`${Math.round(result.durationMs / 1000)} s in all`)
  if (json) console.log(JSON.stringify(result))
  const ok = result.counts.lost === 0 && result.group.lost === 0 && result.presence.ok && result.signOffs.ok
  return ok ? 0 : 1
}

main(process.argv.slice(2)).then((code) => process.exit(code), (error: Error) => {
  console.error(error.stack ?? error.message)
  process.exit(1)
})
