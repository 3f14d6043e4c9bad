// The message every transport carries: its sequence number first (how the recipient reports
// it), padded with plain ASCII to a fixed size, so grid, Prosody and echo move the same bytes
// of message text and nothing needs escaping in JSON or XML.
export function payload (seq: number, size: number): string {
  const head = `${seq} `
  return head + 'x'.repeat(Math.max(0, size - head.length))
}

export function seqOf (body: string): number {
  return Number.parseInt(body, 10)
}
