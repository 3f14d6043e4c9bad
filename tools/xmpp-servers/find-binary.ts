// Where a server's binary is: PATH, then the usual system folders (the same search as the
// pretest, ensure.js, which stays plain JavaScript and is not imported by tests).
import { accessSync, constants } from 'node:fs'

const SEARCH_PATH = ['/usr/bin', '/usr/sbin', '/usr/local/bin', '/usr/local/sbin']

export function findBinary (name: string, env: NodeJS.ProcessEnv = process.env): string | null {
  for (const dir of [...(env.PATH ?? '').split(':').filter(Boolean), ...SEARCH_PATH]) {
    try {
      accessSync(`${dir}/${name}`, constants.X_OK)
      return `${dir}/${name}`
    } catch {}
  }
  return null
}
