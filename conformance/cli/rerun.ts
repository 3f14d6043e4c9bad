// What a failure's re-run line repeats of the command that found it (issue 14): the options that
// chose the target. Without them, `--flow X` alone would test the embedded reference grid.
import { resolve } from 'node:path'

export const DEFAULT_TIMEOUT = '15000'

/**
 * The options of this run that chose what it tested, files made absolute: a failure's re-run line
 * repeats them, so that pasting it replays the flow against the same target, not the reference.
 */
export function rerunSelectors (values: { target?: string, xmpp?: string, expectations?: string, timeout?: string, 'client-interface'?: string }): string[] {
  return [
    ...(values.target === undefined ? [] : ['--target', resolve(values.target)]),
    ...(values.xmpp === undefined ? [] : ['--xmpp', values.xmpp]),
    ...(values.expectations === undefined ? [] : ['--expectations', resolve(values.expectations)]),
    ...(values.timeout === undefined || values.timeout === DEFAULT_TIMEOUT ? [] : ['--timeout', values.timeout]),
    ...(values['client-interface'] === undefined || values['client-interface'] === 'http' ? [] : ['--client-interface', values['client-interface']])
  ]
}
