// The flags of `npm run chaos`: the size of the run. Bad values are refused with the flag named.
import { parseArgs } from 'node:util'
import type { ChaosParams } from './scenario.ts'

/** The instances run's own sizes (0 user servers: the single user server on SQLite, scenario.ts). */
export type InstancesArgs = { userServers: number, churners: number, groupRatePerSecond: number, deadSeconds: number, killInstance: boolean }

export const CHAOS_HELP = `npm run chaos -- [options]

  --pairs N           sender/recipient pairs (default 10)
  --rate N            messages per second, all pairs together (default 50)
  --phase SECONDS     steady traffic before and after each crash (default 10)
  --lease SECONDS     the grid's lease (default 15)
  --deadline SECONDS  a sender gives up on a message without an outcome after this (default 60)
  --read-pause MS     a recipient's client pauses this long after each page it reads (default 200)
  --quiet SECONDS     the drain ends after this long without a message read (default 10)
  --user-servers N    N ≥ 2: the user server as N instances on a temporary PostgreSQL behind
                      HAProxy; the crash kills one instance, and the run adds sign-offs/-ons and
                      group traffic (default 0: one user server on SQLite, killed whole)
  --churners N        with --user-servers: recipients who sign off and on again (default half the pairs)
  --group-rate N      with --user-servers: group messages per second (default a third of --rate)
  --dead SECONDS      with --user-servers: how long the instance stays dead before R2 is killed (default --phase)
  --no-instance-kill  with --user-servers: the same run without killing an instance (a control)
  --json              print the result as JSON too
  -h, --help          this text`

export function parseChaosArgs (argv: string[]): ChaosParams & InstancesArgs & { json: boolean } {
  const { values } = parseArgs({
    args: argv,
    options: {
      pairs: { type: 'string', default: '10' },
      rate: { type: 'string', default: '50' },
      phase: { type: 'string', default: '10' },
      lease: { type: 'string', default: '15' },
      deadline: { type: 'string', default: '60' },
      'read-pause': { type: 'string', default: '200' },
      quiet: { type: 'string', default: '10' },
      'user-servers': { type: 'string', default: '0' },
      churners: { type: 'string' },
      'group-rate': { type: 'string' },
      dead: { type: 'string' },
      'no-instance-kill': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false }
    }
  })
  const positive = (flag: string, value: string, integer = true): number => {
    const n = Number(value)
    if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) throw new Error(`--${flag} must be a positive ${integer ? 'whole ' : ''}number, got ${value}`)
    return n
  }
  const readPause = Number(values['read-pause'])
  if (!Number.isInteger(readPause) || readPause < 0) throw new Error(`--read-pause must be a whole number of milliseconds, got ${values['read-pause']}`)
  const userServers = Number(values['user-servers'])
  if (!Number.isInteger(userServers) || userServers < 0 || userServers === 1) throw new Error(`--user-servers must be 0 (one on SQLite) or a whole number ≥ 2, got ${values['user-servers']}`)
  const pairs = positive('pairs', values.pairs!)
  const rate = positive('rate', values.rate!, false)
  const phase = positive('phase', values.phase!, false)
  const churners = values.churners === undefined ? Math.ceil(pairs / 2) : Number(values.churners)
  if (!Number.isInteger(churners) || churners < 0 || churners > pairs) throw new Error(`--churners must be a whole number from 0 to --pairs, got ${values.churners}`)
  return {
    userServers,
    churners,
    groupRatePerSecond: values['group-rate'] === undefined ? rate / 3 : positive('group-rate', values['group-rate'], false),
    deadSeconds: values.dead === undefined ? phase : positive('dead', values.dead, false),
    killInstance: !values['no-instance-kill'],
    pairs,
    ratePerSecond: rate,
    phaseSeconds: phase,
    leaseSeconds: positive('lease', values.lease!),
    sendDeadlineSeconds: positive('deadline', values.deadline!, false),
    readPauseMs: readPause,
    quietSeconds: positive('quiet', values.quiet!, false),
    json: values.json!
  }
}

