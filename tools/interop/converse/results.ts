// The interop results of one run, in the shared format the README's interop table is generated
// from (reference/gateway/interop/*.json): "works" only for what the test asserted and passed.
import { readFileSync, writeFileSync } from 'node:fs'

export const FEATURES = ['login', 'roster', 'presence', 'chat to grid', 'chat from grid', 'chat states', 'add contact', 'accept offer', 'group room', 'room messages', 'leave room'] as const
export type Feature = typeof FEATURES[number]
export type Outcome = 'works' | 'fails' | 'not tested'

export interface InteropResults {
  client: string
  via: string
  transport: 'BOSH' | 'WebSocket'
  features: Record<Feature, Outcome>
}

export function newResults (client: string, transport: InteropResults['transport']): InteropResults {
  const features = Object.fromEntries(FEATURES.map((f) => [f, 'not tested'])) as Record<Feature, Outcome>
  return { client, via: 'the gateway (IM-only grid user)', transport, features }
}

export function readResults (path: string): unknown {
  try { return JSON.parse(readFileSync(path, 'utf8')) } catch { return undefined }
}

export function writeResults (path: string, results: InteropResults): void {
  writeFileSync(path, JSON.stringify(results, null, 2) + '\n')
}
