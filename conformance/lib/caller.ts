// Who made a request the runner sees go out: a trace names the caller of every exchange
// (issue 14: no more `from: "?"`). A signed request names its signer by its keyid; an unsigned
// one — a client's call, the runner's admin call — is made inside `asCaller`, and the observer
// that records it reads the caller back from the async context the request went out in.
import { AsyncLocalStorage } from 'node:async_hooks'

export type Caller = {
  /** The flow's name for the caller (A, B, ...), or `runner`. */
  name: string
  /** The caller traces the exchange itself (with its arguments); an observer need not record it again. */
  traced?: boolean
}

const storage = new AsyncLocalStorage<Caller>()

/** Runs `fn` as `caller`: every request it sends, however deep, is attributed to it. */
export async function asCaller<T> (caller: Caller, fn: () => Promise<T>): Promise<T> {
  return await storage.run(caller, fn)
}

/** The caller of the request being sent now, when it went out inside asCaller. */
export function currentCaller (): Caller | undefined {
  return storage.getStore()
}

/** The request line of a URL: its path with the query, as the trace shows it. */
export function pathOf (url: string): string {
  const u = new URL(url)
  return u.pathname + u.search
}
