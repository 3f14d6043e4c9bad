// Test support: HTTP spoken by hand over a real loopback socket, for what server.inject cannot
// show — timeouts, resets, and answers to bodies the server stopped reading.
import { connect, type Socket } from 'node:net'

export type SocketEnd = { data: string, closedAfterMs: number, reset: boolean }

/** Opens a connection; resolves when the server has closed it (or after `limitMs`, with the socket destroyed). */
export function openSocket (port: number, limitMs: number): { socket: Socket, ended: Promise<SocketEnd> } {
  const socket = connect(port, '127.0.0.1')
  const started = Date.now()
  let data = ''
  let reset = false
  socket.on('data', (chunk: Buffer) => { data += chunk.toString('latin1') })
  socket.on('error', (err: NodeJS.ErrnoException) => { if (err.code === 'ECONNRESET' || err.code === 'EPIPE') reset = true })
  const ended = new Promise<SocketEnd>((resolve) => {
    const timer = setTimeout(() => { socket.destroy() }, limitMs)
    socket.on('close', () => {
      clearTimeout(timer)
      resolve({ data, closedAfterMs: Date.now() - started, reset })
    })
  })
  return { socket, ended }
}

/** Writes `text` one byte every `everyMs` until the socket closes or the text is sent; bounded by its length. */
export function dribble (socket: Socket, text: string, everyMs: number): void {
  let at = 0
  const timer = setInterval(() => {
    if (socket.destroyed || at >= text.length) {
      clearInterval(timer)
      return
    }
    socket.write(text[at++]!)
  }, everyMs)
  socket.once('close', () => clearInterval(timer))
}

/** The status code of the first response in `data`, or undefined. */
export function statusOf (data: string): number | undefined {
  const match = /^HTTP\/1\.1 (\d{3})/.exec(data)
  return match === null ? undefined : Number(match[1])
}
