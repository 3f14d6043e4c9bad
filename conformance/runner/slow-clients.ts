// The runner action `probe-slow-clients`: clients that hold a connection without finishing a
// request, against each role named (GRIDIM-LIM-17, GRIDIM-LIM-19). For every role, at once: a
// connection that sends nothing, a slowloris that sends a header byte every second, and a
// connection left idle after one complete exchange. Each must be closed by the role within the
// longest timeout chapter 13 allows it; a role that keeps any of them open fails.
import { connect } from 'node:net'

/** Chapter 13's upper bounds, plus what a timer checked now and then may overrun by. */
export const PROBE_LIMITS_MS = { headers: 15_000 + 2_000, idle: 30_000 + 2_000 }

export type ProbeResult = { closed: boolean, afterMs: number }
/**
 * `outlastSeconds`: how long a long poll must be held (at most 30, GRIDIM-LIM-5) to outlast every
 * timeout the role showed here — one second more than its slowest close — so that it proves
 * GRIDIM-LIM-20 against this role's own timeouts, whatever they are within chapter 13's ranges.
 * The probe returns only after that slowest close, so a poll started before the probe and
 * answered a second or more after it returns has been held that long (x-slow-clients-cut-off).
 */
export type RoleProbe = { silent: ProbeResult, slowloris: ProbeResult, keptAliveIdle: ProbeResult, outlastSeconds: number }

/** The longest poll wait allowed (chapter 13's table). */
const MAX_WAIT_SECONDS = 30

/** Resolves when the server closes the connection, or at `limitMs` (not closed; destroyed by us). */
function probe (url: URL, limitMs: number, start: (write: (text: string) => void) => (() => void) | void): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const socket = connect(Number(url.port || 80), url.hostname)
    const started = Date.now()
    let closedByUs = false
    let stop: (() => void) | void
    const timer = setTimeout(() => { closedByUs = true; socket.destroy() }, limitMs)
    socket.on('error', () => {})
    socket.on('data', () => {})
    socket.on('connect', () => { stop = start((text) => { if (!socket.destroyed) socket.write(text) }) })
    socket.on('close', () => {
      clearTimeout(timer)
      stop?.()
      resolve({ closed: !closedByUs, afterMs: Date.now() - started })
    })
  })
}

/** A request that names no operation: whatever a role answers, the exchange is complete. */
function request (url: URL): string {
  return `GET /gridim-conformance-probe HTTP/1.1\r\nHost: ${url.host}\r\n\r\n`
}

export async function probeSlowClients (baseUrl: string): Promise<RoleProbe> {
  const url = new URL(baseUrl)
  const [silent, slowloris, keptAliveIdle] = await Promise.all([
    probe(url, PROBE_LIMITS_MS.headers, () => {}),
    probe(url, PROBE_LIMITS_MS.headers, (write) => {
      // Bounded: the header section below, one byte a second, never finished within the limit.
      const text = request(url).replace(/\r\n\r\n$/, '\r\n') + 'X-Probe: slow\r\n'.repeat(4)
      let at = 0
      const timer = setInterval(() => { if (at < text.length) write(text[at++]!) }, 1000)
      return () => clearInterval(timer)
    }),
    probe(url, PROBE_LIMITS_MS.idle, (write) => { write(request(url)) })
  ])
  const longest = Math.max(silent.afterMs, slowloris.afterMs, keptAliveIdle.afterMs)
  return { silent, slowloris, keptAliveIdle, outlastSeconds: Math.min(MAX_WAIT_SECONDS, Math.floor(longest / 1000) + 1) }
}
