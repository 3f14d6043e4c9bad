// A steady stream of instant messages: one send every 1/rate seconds, the pairs taking turns,
// each send running on its own (retries included) so that a slow one does not hold up the next.
import type { ChaosClient } from './client.ts'
import type { Ledger } from './ledger.ts'
import { sendInstantMessage, type SendOptions } from './sender.ts'

export type Pair = { sender: ChaosClient, recipient: ChaosClient }

export class Traffic {
  readonly #pairs: Pair[]
  readonly #ledger: Ledger
  readonly #intervalMs: number
  readonly #send: SendOptions
  readonly #inFlight = new Set<Promise<void>>()
  #running: Promise<void> | undefined
  #stopped = false
  #wake: (() => void) | undefined
  /** Sends begun so far. */
  begun = 0

  constructor (pairs: Pair[], ledger: Ledger, { ratePerSecond, ...send }: SendOptions & { ratePerSecond: number }) {
    if (pairs.length === 0) throw new RangeError('traffic needs at least one pair')
    if (!(ratePerSecond > 0)) throw new RangeError('ratePerSecond must be positive')
    this.#pairs = pairs
    this.#ledger = ledger
    this.#intervalMs = 1000 / ratePerSecond
    this.#send = send
  }

  get inFlight (): number { return this.#inFlight.size }

  start (): void {
    this.#running ??= this.#run()
  }

  /** Stops beginning sends and waits until every begun send has its outcome or error. */
  async stop (): Promise<void> {
    this.#stopped = true
    this.#wake?.()
    await this.#running
    await Promise.all(this.#inFlight)
  }

  async #run (): Promise<void> {
    const started = Date.now()
    while (!this.#stopped) {
      // The schedule is absolute, so a late tick does not slow the rate down.
      const due = started + this.begun * this.#intervalMs
      if (due > Date.now()) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, due - Date.now())
          this.#wake = () => { clearTimeout(timer); resolve() }
        })
        continue
      }
      const { sender, recipient } = this.#pairs[this.begun % this.#pairs.length]!
      const n = this.begun++
      const sending = sendInstantMessage(sender, this.#ledger, recipient.user.userId, `chaos ${n}`, this.#send)
      this.#inFlight.add(sending)
      void sending.finally(() => this.#inFlight.delete(sending))
    }
  }
}
