// A PeerClient for tests: every call, typed or unchecked, is recorded and answered by a function
// instead of a peer on the network. Its answers pass through the same typed `call` as real ones.
import { PeerClient, type CallOptions, type CallResult } from './peer-client.ts'

/** One call as the peer would have sent it: where, which operation, and the body. */
export type AnsweredCall = { url: string, operationId: string, options: CallOptions }

/** Answers a call with the body a peer would have sent (status 200), or throws as a peer's refusal would. */
export type Answerer = (call: AnsweredCall) => unknown

export class AnsweringPeer extends PeerClient {
  readonly #answer: Answerer

  constructor (answer: Answerer) {
    super()
    this.#answer = answer
  }

  // The typed `call` always passes its options here.
  override async callUnchecked<T = unknown> (url: string, operationId: string, options: CallOptions): Promise<CallResult<T>> {
    // The answer stands for JSON from the wire, which a PeerClient does not check either.
    return { status: 200, body: await this.#answer({ url, operationId, options }) as T }
  }
}
