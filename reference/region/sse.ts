// Server-sent events (WHATWG HTML §9.2, text/event-stream) over one client's event log. Each
// event is `id:` (its cursor), `event:` (its type) and one `data:` line of JSON; comment lines
// keep idle connections alive. The stream ends when the log closes or the client goes away.
import { PassThrough } from 'node:stream'
import type { EventLog, LoggedEvent } from './event-log.ts'

/** hapi gzips compressible responses; it hands a stream that asks for it the compressor to flush. */
class EventStream extends PassThrough {
  #compressor: { flush: () => void } | undefined

  setCompressor (compressor: { flush: () => void }): void {
    this.#compressor = compressor
    // What was written before hapi piped us (the backlog) reaches the compressor once piping
    // starts, on a later tick; flush after that, or a resumed stream shows nothing until the next event.
    setImmediate(() => compressor.flush())
  }

  send (text: string): void {
    if (this.writableEnded || this.destroyed) return
    this.write(text)
    this.#compressor?.flush()
  }
}

export type EventStreamOptions = {
  /** A comment goes out when this long passes without an event (GRIDIM-CLI-15). */
  heartbeatMs: number
  /** False only under the fault session-end-leaves-polls: the stream outlives its session (GRIDIM-CLI-16). */
  endsWithLog?: boolean
  onClose?: () => void
}

export function formatEvent (event: LoggedEvent): string {
  return `id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`
}

/** A stream of the events after `after`, then of each new one. `close` ends it. */
export function openEventStream (log: EventLog, after: string | undefined, options: EventStreamOptions): { stream: PassThrough, close: () => void } {
  const stream = new EventStream()
  let closed = false
  let unsubscribe = (): void => {}
  let lastSent = Date.now()
  const send = (event: LoggedEvent): void => {
    stream.send(formatEvent(event))
    lastSent = Date.now()
  }
  const close = (): void => {
    if (closed) return
    closed = true
    clearInterval(heartbeat)
    unsubscribe()
    stream.end()
    options.onClose?.()
  }

  const heartbeat = setInterval(() => {
    if (Date.now() - lastSent < options.heartbeatMs / 2) return
    stream.send(': keep-alive\n\n')
    lastSent = Date.now()
  }, options.heartbeatMs / 2)
  heartbeat.unref()
  stream.send(': stream open\n\n')
  for (const event of log.after(after).events) send(event)
  unsubscribe = log.subscribe((event) => { if (event !== null) send(event); else if (options.endsWithLog !== false) close() })
  stream.once('close', close)
  return { stream, close }
}
