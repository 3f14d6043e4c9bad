// sendxmpp (Debian) as a one-shot sender: logs in over plain TCP, sends the body read from stdin
// as an ordinary message (its default type, "normal"), and exits. Bounded: killed by its pid
// (own process group) if it has not exited in time.
import { spawn } from 'node:child_process'

export interface SendxmppOptions {
  user: string
  password: string
  host: string
  port: number
  /** The Jabber server's domain (sendxmpp's -o). */
  domain: string
  to: string
  body: string
  timeoutMs?: number
}

export async function sendxmpp (options: SendxmppOptions): Promise<void> {
  const args = ['-u', options.user, '-p', options.password, '-j', `${options.host}:${options.port}`, '-o', options.domain, options.to]
  // No ~/.sendxmpprc is needed with -u/-p/-j; -f /dev/null keeps a developer's own file out of it.
  const child = spawn('sendxmpp', ['-f', '/dev/null', ...args], { detached: true, stdio: ['pipe', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString('utf8') })
  child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString('utf8') })
  child.stdin.end(options.body)
  const ms = options.timeoutMs ?? 15_000
  const code = await new Promise<number | string>((resolve, reject) => {
    const timer = setTimeout(() => { try { process.kill(-child.pid!, 'SIGKILL') } catch {} }, ms)
    child.once('error', (error) => { clearTimeout(timer); reject(error) })
    child.once('exit', (code, signal) => { clearTimeout(timer); resolve(signal ?? code ?? -1) })
  })
  if (code !== 0) throw new Error(`sendxmpp exited with ${code}${code === 'SIGKILL' ? ` after ${ms} ms` : ''}: ${output}`)
}
