// Waiting for a condition of the harness's own state (a count reached, an event read), checked
// every 50 ms and bounded by a timeout: the chaos run never sleeps a fixed time to let things happen.
export async function until (condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
