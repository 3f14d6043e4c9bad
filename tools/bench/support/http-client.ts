// A lean HTTP/1.1 keep-alive client for load generation: node:http with one pooled agent, no
// per-request AbortSignal or WHATWG streams (fetch costs several times more CPU per request,
// and the load generator shares the machine with what it measures).
import { Agent, request, type IncomingMessage } from 'node:http'

export const keepAliveAgent = (): Agent => new Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 4096, scheduling: 'lifo' })

export type Answer = { status: number, text: string }

export function send (agent: Agent, method: string, url: URL, body: string | undefined, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({
      agent,
      method,
      host: url.hostname,
      port: url.port,
      path: url.pathname + url.search,
      headers: body === undefined ? headers : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers }
    }, (res: IncomingMessage) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => { text += chunk })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(body)
  })
}

/**
 * A server-sent event stream (WHATWG HTML §9.2): calls onEvent(type, data) per event. Resolves
 * once the response headers arrived; `close` ends it.
 */
export function openEventStream (url: URL, headers: Record<string, string>, onEvent: (type: string, data: string) => void): Promise<{ close: () => void }> {
  return new Promise((resolve, reject) => {
    const req = request({ method: 'GET', host: url.hostname, port: url.port, path: url.pathname + url.search, headers: { accept: 'text/event-stream', ...headers } }, (res) => {
      if (res.statusCode !== 200) { reject(new Error(`event stream: status ${res.statusCode}`)); res.resume(); return }
      let buffer = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        buffer += chunk
        let end: number
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end)
          buffer = buffer.slice(end + 2)
          let type = 'message'
          let data = ''
          for (const line of block.split('\n')) {
            if (line.startsWith('event: ')) type = line.slice(7)
            else if (line.startsWith('data: ')) data += line.slice(6)
          }
          if (data !== '') onEvent(type, data)
        }
      })
      res.on('error', () => {})
      resolve({ close: () => { req.destroy() } })
    })
    req.on('error', reject)
    req.end()
  })
}
