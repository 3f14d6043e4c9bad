// The event types of client.yaml (ClientEvent's discriminator), read from the contract itself, so
// that a flow naming an event type the contract does not define fails instead of waiting in vain
// — or, for `no-event`, passing without having checked anything.
import { loadDocument } from '../../reference/lib/contract/load-openapi.ts'
import type { ClientEventType } from './client-session.ts'

let types: ReadonlySet<string> | undefined

export function clientEventTypes (): ReadonlySet<string> {
  types ??= new Set(Object.keys(loadDocument('client').components?.schemas?.ClientEvent?.discriminator?.mapping ?? {}))
  return types
}

export function isClientEventType (type: string): type is ClientEventType {
  return clientEventTypes().has(type)
}
