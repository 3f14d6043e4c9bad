// XEP-0114 §3 (https://xmpp.org/extensions/xep-0114.html#protocol): "the component MUST send a
// handshake element whose XML character data is the SHA1 hash of the concatenation of the
// stream id and the shared secret", in lower-case hex (GRIDIM-XMPP-1).
import { createHash } from 'node:crypto'

export function handshakeDigest (streamId: string, secret: string): string {
  return createHash('sha1').update(streamId + secret, 'utf8').digest('hex')
}
