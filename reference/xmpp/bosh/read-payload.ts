// Reads a request body up to a byte limit without buffering beyond it (GRIDIM-LIM-11).
import type { Readable } from 'node:stream'

/** The body as UTF-8 text, or undefined when it is larger than `maxBytes`. */
export async function readLimited (stream: Readable, maxBytes: number): Promise<string | undefined> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk as Buffer
    size += buffer.length
    if (size > maxBytes) {
      stream.destroy()
      return undefined
    }
    chunks.push(buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}
