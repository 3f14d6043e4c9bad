// GRIDIM-LIM: a message body is at most 1023 bytes of UTF-8, not just 1023 characters (the
// schema can only count characters), as in Second Life.
import { GridImError } from '../lib/errors/index.ts'
import { MAX_BODY_BYTES } from './types.ts'

export function checkBodyLength (body: string): void {
  const bytes = Buffer.byteLength(body, 'utf8')
  if (bytes > MAX_BODY_BYTES) {
    throw new GridImError('message-too-long', `The message body is ${bytes} bytes of UTF-8; at most ${MAX_BODY_BYTES} are allowed.`)
  }
}
