// Counts of requests by operationId, in both directions. Benchmarks read them to report, for
// example, "requests per sign-on": sent.deliverNotices / received.signOn.
export type Counts = Record<string, number>

export class Metrics {
  #sent = new Map<string, number>()
  #received = new Map<string, number>()

  /** One outgoing request to another role. */
  countSent (operationId: string): void {
    this.#sent.set(operationId, (this.#sent.get(operationId) ?? 0) + 1)
  }

  /** One incoming request that reached its handler. */
  countReceived (operationId: string): void {
    this.#received.set(operationId, (this.#received.get(operationId) ?? 0) + 1)
  }

  get sent (): Counts {
    return Object.fromEntries(this.#sent)
  }

  get received (): Counts {
    return Object.fromEntries(this.#received)
  }

  get totalSent (): number {
    let total = 0
    for (const n of this.#sent.values()) total += n
    return total
  }

  reset (): void {
    this.#sent.clear()
    this.#received.clear()
  }
}
