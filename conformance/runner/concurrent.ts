// Concurrent steps (issue 14): a step with `start` sends its request and lets the flow go on; a
// later `{call: await, args: {started}}` step takes the answer and the time it came. So a flow
// holds a long poll or an event stream open while another step acts (GRIDIM-CLI-9, GRIDIM-CLI-16).
import type { ActionResult } from './actions.ts'

type Settled = { result?: ActionResult, error?: Error, at: number }

export class StartedRequests {
  readonly #started = new Map<string, Promise<Settled>>()

  /** Sends the request now; its answer (or failure) is kept, never left as an unhandled rejection. */
  start (name: string, send: () => Promise<ActionResult>): void {
    if (this.#started.has(name)) throw new Error(`a request named ${name} was already started in this flow`)
    this.#started.set(name, send().then(
      (result) => ({ result, at: Date.now() }),
      (error: unknown) => ({ error: error instanceof Error ? error : new Error(String(error)), at: Date.now() })
    ))
  }

  /** The answer of the request started as `name`, with when it arrived; throws what sending it threw. */
  async await (name: string): Promise<ActionResult> {
    const started = this.#started.get(name)
    if (started === undefined) throw new Error(`no earlier step started a request named ${name}`)
    const { result, error, at } = await started
    if (error !== undefined || result === undefined) throw error ?? new Error(`the request ${name} had no answer`)
    return { ...result, answeredAt: at }
  }

  /** Waits for every started request (each is bounded by its own timeout), so none outlives its flow. */
  async settle (): Promise<void> {
    await Promise.all(this.#started.values())
  }
}
