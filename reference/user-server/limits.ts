// The numbers of spec/protocol/13-limits.md that the user server enforces or relies on.
import { GridImError } from '../lib/errors/index.ts'

/** GRIDIM-LIM-1, GRIDIM-LIM-2: bodies and offer messages are counted in bytes of UTF-8. */
export const MAX_MESSAGE_BYTES = 1023

/** GRIDIM-LIM-10: stored messages in one signOn answer or listOfflineMessages page. */
export const OFFLINE_PAGE_SIZE = 50

/**
 * GRIDIM-LIM-6 allows 1000 notices a request, but region.yaml's NoticeBatch says maxItems 500;
 * the smaller number satisfies both.
 */
export const MAX_NOTICES_PER_REQUEST = 500

/** GRIDIM-LIM-14: accepted ranges of the admin settings. */
export const SETTING_RANGES = {
  leaseSeconds: [1, 3600],
  groupIdleSeconds: [1, 86_400],
  replayWindowSeconds: [5, 600],
  clientIdleSeconds: [1, 3600],
  handoverSeconds: [1, 600],
  keepAliveSeconds: [1, 60]
} as const

/** GRIDIM-LIM-1, GRIDIM-LIM-2: refuse text over 1023 bytes of UTF-8 with message-too-long. */
export function checkMessageBytes (text: string | undefined, what: string): void {
  if (text !== undefined && Buffer.byteLength(text, 'utf8') > MAX_MESSAGE_BYTES) {
    throw new GridImError('message-too-long', `${what} is longer than ${MAX_MESSAGE_BYTES} bytes of UTF-8`)
  }
}
