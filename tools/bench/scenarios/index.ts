// Every scenario, in the order `npm run bench` runs them.
import type { Scenario } from '../harness/scenario.ts'
import { imThroughput } from './im-throughput.ts'
import { signOnStorm } from './sign-on-storm.ts'

export const SCENARIOS: Scenario[] = [imThroughput, signOnStorm]
