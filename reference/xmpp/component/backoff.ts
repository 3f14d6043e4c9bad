// GRIDIM-XMPP-3: reconnection delays start at no more than 1 s, double after each failed
// attempt up to at most 60 s, vary randomly by up to a fifth, and start over after a handshake.

export interface BackoffOptions {
  initialMs?: number
  maxMs?: number
  /** Largest random variation, as a fraction of the delay (0.2 = a fifth). */
  jitter?: number
}

export const DEFAULT_BACKOFF: Required<BackoffOptions> = { initialMs: 1000, maxMs: 60_000, jitter: 0.2 }

/** The delay before attempt `failures + 1`, after `failures` failed attempts in a row. */
export function backoffDelay (failures: number, options: BackoffOptions = {}, random: () => number = Math.random): number {
  const { initialMs, maxMs, jitter } = { ...DEFAULT_BACKOFF, ...options }
  const base = Math.min(maxMs, initialMs * 2 ** Math.min(failures, 30))
  const varied = base * (1 + jitter * (2 * random() - 1))
  return Math.max(0, Math.round(varied))
}
