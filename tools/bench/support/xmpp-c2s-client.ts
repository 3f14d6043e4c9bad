// A bare-bones XMPP client on a raw TCP stream (RFC 6120): stream header, SASL PLAIN (RFC 4616),
// stream restart, resource binding, initial presence. No XML parser: it waits for known
// closing tags and picks message bodies out of the byte stream, which is all a load
// generator needs and costs a fraction of a full client (thousands of them share one core).
import { connect, type Socket } from 'node:net'

export type C2sClient = { jid: string, socket: Socket, write: (xml: string) => void, close: () => void }

const header = (domain: string): string =>
  `<?xml version='1.0'?><stream:stream to='${domain}' version='1.0' xml:lang='en' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>`

/** Logs in; afterwards every `<body>` received is passed to onBody. */
export async function loginC2s (options: { host: string, port: number, domain: string, username: string, password: string, resource?: string, onBody: (body: string) => void, timeoutMs?: number }): Promise<C2sClient> {
  const socket = connect({ host: options.host, port: options.port })
  socket.setNoDelay(true)
  socket.setEncoding('utf8')
  let buffer = ''
  let waiting: { until: string, resolve: (text: string) => void } | undefined
  let online = false
  socket.on('data', (chunk: string) => {
    buffer += chunk
    if (!online) {
      if (waiting !== undefined) {
        const at = buffer.indexOf(waiting.until)
        if (at >= 0) {
          const text = buffer.slice(0, at + waiting.until.length)
          buffer = buffer.slice(at + waiting.until.length)
          const w = waiting
          waiting = undefined
          w.resolve(text)
        }
      }
      return
    }
    for (;;) {
      const open = buffer.indexOf('<body>')
      if (open < 0) { if (buffer.length > 64) buffer = buffer.slice(-64); return }
      const close = buffer.indexOf('</body>', open)
      if (close < 0) { buffer = buffer.slice(open); return }
      options.onBody(buffer.slice(open + 6, close))
      buffer = buffer.slice(close + 7)
    }
  })
  const failure = new Promise<never>((_resolve, reject) => {
    socket.once('error', reject)
    socket.once('close', () => reject(new Error(`${options.username}: stream closed during login:\n${buffer.slice(0, 500)}`)))
    setTimeout(() => reject(new Error(`${options.username}: login took more than ${options.timeoutMs ?? 15_000} ms`)), options.timeoutMs ?? 15_000).unref()
  })
  const expect = async (until: string): Promise<string> => await Promise.race([new Promise<string>((resolve) => {
    waiting = { until, resolve }
    socket.emit('data', '')
  }), failure])

  await new Promise<void>((resolve, reject) => { socket.once('connect', resolve); socket.once('error', reject) })
  socket.write(header(options.domain))
  await expect('</stream:features>')
  const token = Buffer.from(`\0${options.username}\0${options.password}`).toString('base64')
  socket.write(`<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>${token}</auth>`)
  const sasl = await Promise.race([expect('/>'), failure])
  if (!sasl.includes('<success')) throw new Error(`${options.username}: authentication failed: ${sasl}`)
  socket.write(header(options.domain))
  await expect('</stream:features>')
  socket.write(`<iq type='set' id='bind1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>${options.resource ?? 'bench'}</resource></bind></iq>`)
  const bound = await expect('</iq>')
  const jid = /<jid>([^<]+)<\/jid>/.exec(bound)?.[1]
  if (jid === undefined) throw new Error(`${options.username}: bind failed: ${bound}`)
  online = true
  buffer = ''
  socket.removeAllListeners('close')
  socket.removeAllListeners('error')
  socket.on('error', () => {})
  socket.write('<presence/>')
  return {
    jid,
    socket,
    write: (xml) => { socket.write(xml) },
    close: () => { socket.end('</stream:stream>'); socket.destroy() }
  }
}
