// Every scenario, in the order `npm run bench` runs them.
import type { Scenario } from '../harness/scenario.ts'
import { imThroughput } from './im-throughput.ts'
import { signOnStorm } from './sign-on-storm.ts'
import { groupFanout } from './group-fanout.ts'
import { boshSessions } from './bosh-sessions.ts'
import { conformanceTime } from './conformance-time.ts'
import { costs } from './costs.ts'
import { userServerScale } from './user-server-scale.ts'

export const SCENARIOS: Scenario[] = [imThroughput, signOnStorm, boshSessions, groupFanout, conformanceTime, costs, userServerScale]
