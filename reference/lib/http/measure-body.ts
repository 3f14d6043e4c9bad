// Reading a body only to measure it (GRIDIM-LIM-3, GRIDIM-LIM-11) without keeping it. A body
// over the limit is still read to its end, and thrown away, before the refusal is sent: a
// server that closes a connection with unread data in it makes TCP reset it, and the client
// then never sees the answer. Past `drainBytes` the sender is flooding, and is cut off.
import type { Readable } from 'node:stream'

/** How much more than the limit is drained to deliver a refusal: 16 times the limit. */
export const DRAIN_FACTOR = 16

export type Measured = { size: number, text?: Buffer }

/**
 * Reads `stream` to its end. Returns its bytes when there are at most `limit` of them, and
 * otherwise only its size (the part past `limit` is discarded). A stream larger than
 * `limit * DRAIN_FACTOR` is destroyed as soon as it gets there.
 */
export async function readWithin (stream: Readable, limit: number): Promise<Measured> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk as Buffer
    size += buffer.length
    if (size <= limit) chunks.push(buffer)
    else if (size > limit * DRAIN_FACTOR) {
      stream.destroy()
      break
    }
  }
  return size > limit ? { size } : { size, text: Buffer.concat(chunks) }
}
