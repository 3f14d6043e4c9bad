// Reads a BOSH request body up to its byte limit without keeping more (GRIDIM-LIM-11), and as
// strict UTF-8 (GRIDIM-ERR-11): XML in bytes that are not UTF-8 is not well formed (XML 1.0
// §4.3.3), and replacing them would hand on text the client never sent.
import type { Readable } from 'node:stream'
import { readWithin } from '../../lib/http/measure-body.ts'
import { BoshError } from './body.ts'

const UTF8 = new TextDecoder('utf-8', { fatal: true })

/**
 * The body as text, or the BoshError to terminate with: `policy-violation` when it is larger
 * than `maxBytes` (read to its end first, so the answer arrives), `bad-request` when it is not UTF-8.
 */
export async function readLimited (stream: Readable, maxBytes: number): Promise<string | BoshError> {
  const { text } = await readWithin(stream, maxBytes)
  if (text === undefined) return new BoshError('policy-violation', `a body larger than ${maxBytes} bytes (GRIDIM-LIM-11)`)
  try {
    return UTF8.decode(text)
  } catch {
    return new BoshError('bad-request', 'the body is not UTF-8 (GRIDIM-ERR-11)')
  }
}
