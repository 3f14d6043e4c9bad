// What a process the runner started for the target (a region under test) wrote on stdout and
// stderr, time-stamped, so that each flow's report carries what the target said during that flow
// (issue 14). Bounded: the oldest output goes first.
export type OutputStream = 'stdout' | 'stderr'

/** One process's output during one flow. */
export type ProcessOutput = { process: string, stdout: string, stderr: string }

type Chunk = { at: number, stream: OutputStream, text: string }

export class OutputLog {
  readonly #chunks: Chunk[] = []
  #size = 0

  /** `limit`: how many characters it keeps (default 1 MB of text). */
  constructor (readonly process: string, readonly limit = 1_000_000) {}

  add (stream: OutputStream, text: string, at = Date.now()): void {
    this.#chunks.push({ at, stream, text })
    this.#size += text.length
    while (this.#size > this.limit && this.#chunks.length > 1) this.#size -= this.#chunks.shift()!.text.length
  }

  /** What it wrote at or after `since` (ms), or undefined when it wrote nothing. */
  since (since: number): ProcessOutput | undefined {
    const out: ProcessOutput = { process: this.process, stdout: '', stderr: '' }
    for (const c of this.#chunks) if (c.at >= since) out[c.stream] += c.text
    return out.stdout === '' && out.stderr === '' ? undefined : out
  }
}
