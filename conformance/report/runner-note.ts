// How a report marks a check of a role the runner plays itself: it is shown, but it is not a
// pass of the target (issue 14, per-role results).
import { playedBy, type Check } from '../runner/results.ts'

/** "judges the runner's own user server (US), not the target" for a runner-played check; undefined for the target's. */
export function runnerNote (c: Check): string | undefined {
  if (playedBy(c) !== 'runner') return undefined
  return `judges the runner's own ${c.role ?? 'role'}${c.actor === undefined ? '' : ` (${c.actor})`}, not the target`
}
