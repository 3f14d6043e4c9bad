// adminUpdateSettings — GRIDIM-LIM-14, GRIDIM-LIM-15. Every reader takes the settings from the
// store when it needs them, so a change applies at once: the replay window on the next signed
// request, leaseSeconds on the next renewal, groupIdleSeconds on the next sweep.
import { GridImError } from '../../lib/errors/index.ts'
import type { HandlerFor } from '../../lib/http/index.ts'
import type { UserServerContext } from '../context.ts'
import { SETTING_RANGES } from '../limits.ts'

export function adminUpdateSettings (ctx: UserServerContext): HandlerFor<'admin', 'adminUpdateSettings'> {
  return async (input) => {
    const settings = input.body
    for (const [field, [min, max]] of Object.entries(SETTING_RANGES)) {
      const value = settings[field as keyof typeof settings]
      // clientIdleSeconds and handoverSeconds may be left out: they keep their values.
      // The fault settings-max-refused: the top of each range counts as outside it.
      if (value !== undefined && (value < min || value > max || (value === max && ctx.faults.has('settings-max-refused')))) throw new GridImError('invalid-request', `${field} must be from ${min} to ${max}`)
    }
    return { body: await ctx.store.updateSettings(settings) }
  }
}
