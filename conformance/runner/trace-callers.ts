// Which observed operations are a client's (client.yaml): an unsigned one of those is a client's
// call, not a peer's, in the trace.
import { allOperations } from '../../reference/lib/contract/operations.ts'

let client: Set<string> | undefined

export function isClientOperation (operationId: string): boolean {
  client ??= new Set([...allOperations().values()].filter((op) => op.document === 'client').map((op) => op.operationId))
  return client.has(operationId)
}
