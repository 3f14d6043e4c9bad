// The flags of `npm run chaos`: the size of the run. Bad values are refused with the flag named.
import { parseArgs } from 'node:util'
import type { ChaosParams } from './scenario.ts'

export const CHAOS_HELP = `npm run chaos -- [options]

  --pairs N           sender/recipient pairs (default 10)
  --rate N            messages per second, all pairs together (default 50)
  --phase SECONDS     steady traffic before and after each crash (default 10)
  --lease SECONDS     the grid's lease (default 15)
  --deadline SECONDS  a sender gives up on a message without an outcome after this (default 60)
  --read-pause MS     a recipient's client pauses this long after each page it reads (default 200)
  --quiet SECONDS     the drain ends after this long without a message read (default 10)
  --json              print the result as JSON too
  -h, --help          this text`

export function parseChaosArgs (argv: string[]): ChaosParams & { json: boolean } {
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
  return {
    pairs: positive('pairs', values.pairs!),
    ratePerSecond: positive('rate', values.rate!, false),
    phaseSeconds: positive('phase', values.phase!, false),
    leaseSeconds: positive('lease', values.lease!),
    sendDeadlineSeconds: positive('deadline', values.deadline!, false),
    readPauseMs: readPause,
    quietSeconds: positive('quiet', values.quiet!, false),
    json: values.json!
  }
}

