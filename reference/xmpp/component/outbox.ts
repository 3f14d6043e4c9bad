// What the link has not delivered for certain: stanzas waiting for the link (bounded), and
// message stanzas written but not yet followed by an answered ping (GRIDIM-XMPP-4).
import type { Element } from 'ltx'
import { GridImError } from '../../lib/errors/index.ts'

export class Outbox {
  private waiting: Element[] = []
  private written: Array<{ seq: number, el: Element }> = []
  private seq = 0

  /** `forgetUnacked`: the fault component-forgets-unacked-messages (reference/lib/faults.ts). */
  constructor (private readonly maxWaiting: number, private readonly forgetUnacked = false) {}

  get waitingCount (): number { return this.waiting.length }
  get unackedCount (): number { return this.written.length }
  /** The sequence number of the last message stanza written. */
  get lastSeq (): number { return this.seq }

  /** Keeps a stanza for the next link; beyond the bound it is refused, never dropped. */
  enqueue (el: Element): void {
    if (this.waiting.length >= this.maxWaiting) {
      throw new GridImError('unavailable', `the XMPP component link is down and ${this.maxWaiting} stanzas already wait for it`)
    }
    this.waiting.push(el)
  }

  /** Takes every waiting stanza, oldest first. */
  drain (): Element[] {
    const out = this.waiting
    this.waiting = []
    return out
  }

  /** A message stanza went onto the link; returns its sequence number. */
  wrote (el: Element): number {
    this.written.push({ seq: ++this.seq, el })
    return this.seq
  }

  /** A ping written after stanza `seq` was answered: everything up to it arrived. */
  acked (seq: number): void {
    this.written = this.written.filter((entry) => entry.seq > seq)
  }

  /** The link failed: unacknowledged messages go first in line, in their original order. */
  linkFailed (): void {
    if (!this.forgetUnacked) this.waiting = [...this.written.map((entry) => entry.el), ...this.waiting]
    this.written = []
  }

  /** Everything not known to be delivered (on stop), oldest first. */
  takeAll (): Element[] {
    this.linkFailed()
    return this.drain()
  }
}
