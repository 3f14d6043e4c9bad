// The sentence of each requirement, so a failure can quote what it breaks.
import { loadRequirements } from '../../tools/spec/requirements.ts'

let texts: Map<string, string> | undefined

export function requirementText (id: string): string {
  texts ??= new Map(loadRequirements().requirements.map((r) => [r.id, r.text]))
  return texts.get(id) ?? '(not in the specification)'
}

/** POSIX shell quoting, only where a word needs it, so the line pastes as it reads. */
function shellWord (word: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`
}

/**
 * The command that replays one flow against the same target: `selectors` are the options that
 * chose it (`--target FILE`, `--xmpp`, `--expectations FILE`, `--timeout`), as the run recorded
 * them in RunResult.rerun. Without them the line would test the embedded reference grid instead.
 */
export function rerunCommand (flow: string, selectors: readonly string[] = []): string {
  return ['npx', 'gridim-conformance', ...selectors, '--flow', flow].map(shellWord).join(' ')
}
