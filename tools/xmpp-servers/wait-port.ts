// Bounded wait until a loopback port accepts TCP connections.
import { connect } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'

function tryConnect (port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' })
    socket.once('connect', () => { socket.destroy(); resolve(true) })
    socket.once('error', () => { socket.destroy(); resolve(false) })
  })
}

/**
 * Resolves once every port accepts a connection; rejects after `timeoutMs`, or at once when
 * `failed()` reports that the server process has already gone.
 */
export async function waitForPorts (ports: number[], timeoutMs: number, failed: () => string | undefined): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (const port of ports) {
    for (;;) {
      const reason = failed()
      if (reason !== undefined) throw new Error(reason)
      if (await tryConnect(port)) break
      if (Date.now() > deadline) throw new Error(`port ${port} did not accept connections within ${timeoutMs} ms`)
      await sleep(25)
    }
  }
}
