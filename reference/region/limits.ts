// GRIDIM-LIM: a message body is at most 1023 bytes of UTF-8, not just 1023 characters (the
// schema can only count characters), as in Second Life.
import { GridImError } from '../lib/errors/index.ts'

/** Message bodies are limited in UTF-8 bytes as well as characters (GRIDIM-LIM, as in Second Life). */
export const MAX_BODY_BYTES = 1023

export function checkBodyLength (body: string): void {
  const bytes = Buffer.byteLength(body, 'utf8')
  if (bytes > MAX_BODY_BYTES) {
    throw new GridImError('message-too-long', `The message body is ${bytes} bytes of UTF-8; at most ${MAX_BODY_BYTES} are allowed.`)
  }
}
