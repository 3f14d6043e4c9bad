// The flags of `npm run chaos`: defaults, sizes, and bad values refused with the flag named.
import t from 'tap'
import { parseChaosArgs } from './args.ts'

t.test('defaults are the larger size', async (t) => {
  t.same(parseChaosArgs([]), {
    pairs: 10, ratePerSecond: 50, phaseSeconds: 10, leaseSeconds: 15, sendDeadlineSeconds: 60, readPauseMs: 200, quietSeconds: 10, json: false,
    userServers: 0, churners: 5, groupRatePerSecond: 50 / 3, deadSeconds: 10, killInstance: true
  })
})

t.test('every size can be set', async (t) => {
  t.match(parseChaosArgs(['--pairs', '4', '--rate', '12.5', '--phase', '3', '--lease', '6', '--deadline', '20', '--read-pause', '0', '--quiet', '2', '--json']),
    { pairs: 4, ratePerSecond: 12.5, phaseSeconds: 3, leaseSeconds: 6, sendDeadlineSeconds: 20, readPauseMs: 0, quietSeconds: 2, json: true })
})

t.test('the instances run: --user-servers and its sizes', async (t) => {
  t.match(parseChaosArgs(['--user-servers', '3', '--pairs', '4', '--churners', '1', '--group-rate', '2', '--dead', '5']),
    { userServers: 3, pairs: 4, churners: 1, groupRatePerSecond: 2, deadSeconds: 5 })
  t.throws(() => parseChaosArgs(['--user-servers', '1']), /--user-servers must be 0/)
  t.throws(() => parseChaosArgs(['--pairs', '2', '--churners', '3']), /--churners/)
  t.throws(() => parseChaosArgs(['--group-rate', '0']), /--group-rate/)
})

t.test('bad values are refused, naming the flag', async (t) => {
  t.throws(() => parseChaosArgs(['--pairs', '0']), /--pairs must be a positive whole number/)
  t.throws(() => parseChaosArgs(['--pairs', '1.5']), /--pairs/)
  t.throws(() => parseChaosArgs(['--rate', 'fast']), /--rate must be a positive number/)
  t.throws(() => parseChaosArgs(['--read-pause', '-1']), /--read-pause/)
  t.throws(() => parseChaosArgs(['--nonsense']), /nonsense/)
})
