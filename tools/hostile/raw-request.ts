// One HTTP request exactly as given — any method with any body, any Host, any bytes — over a
// real socket (node:http; fetch would refuse a GET body or a foreign Host). A connection that is
// reset or stays silent is an answer too: it is reported, not thrown.
import { Agent, request } from 'node:http'

export type RawRequest = {
  method: string
  url: string
  headers?: Record<string, string>
  body?: Buffer | string
}

export type RawAnswer =
  | { status: number, headers: Record<string, string | string[] | undefined>, body: Buffer }
  | { status: 0, failure: string }

/** Keep-alive, as real callers do; a server that closes connections still gets a fresh one. */
const agent = new Agent({ keepAlive: true, maxSockets: 8 })

export function sendRaw (req: RawRequest, timeoutMs = 10_000): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const url = new URL(req.url)
    const body = req.body === undefined ? undefined : Buffer.from(req.body)
    const headers: Record<string, string> = { ...req.headers }
    if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-length')) headers['content-length'] = String(body.length)
    const out = request({ host: url.hostname, port: url.port, path: url.pathname + url.search, method: req.method, headers, agent, timeout: timeoutMs }, (res) => {
      // An event stream never ends on its own: its status and headers are the answer.
      if (String(res.headers['content-type']).startsWith('text/event-stream')) {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.alloc(0) })
        res.destroy()
        return
      }
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }))
      res.on('error', (err) => resolve({ status: 0, failure: `answer broken off: ${err.message}` }))
    })
    out.on('upgrade', (res, socket) => {
      socket.destroy()
      resolve({ status: res.statusCode ?? 101, headers: res.headers, body: Buffer.alloc(0) })
    })
    out.on('timeout', () => { out.destroy(new Error(`no answer within ${timeoutMs} ms`)) })
    out.on('error', (err) => resolve({ status: 0, failure: err.message }))
    out.end(body)
  })
}

export function closeConnections (): void {
  agent.destroy()
}
