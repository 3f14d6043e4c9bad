// Structured logs: one JSON object a line on stderr. GRIDIM_LOG sets the least level shown
// (debug, info, warn, error, silent); the default is info, and silent under tests.
export type Level = 'debug' | 'info' | 'warn' | 'error'
const ORDER: Record<Level | 'silent', number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 }

export type Logger = {
  [L in Level]: (msg: string, fields?: Record<string, unknown>) => void
} & { child: (fields: Record<string, unknown>) => Logger }

function threshold (): number {
  const env = process.env.GRIDIM_LOG ?? (process.env.TAP === '1' ? 'silent' : 'info')
  return ORDER[env as Level] ?? ORDER.info
}

export function createLogger (bindings: Record<string, unknown> = {}, write: (line: string) => void = (l) => process.stderr.write(l)): Logger {
  const min = threshold()
  const log = (level: Level) => (msg: string, fields: Record<string, unknown> = {}): void => {
    if (ORDER[level] < min) return
    write(JSON.stringify({ time: new Date().toISOString(), level, msg, ...bindings, ...fields }) + '\n')
  }
  return {
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    child: (fields) => createLogger({ ...bindings, ...fields }, write)
  }
}
