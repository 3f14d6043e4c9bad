// Reads a server-sent event stream (WHATWG HTML §9.2) for a bounded time: until it has been
// quiet for quietMs after the last event, or maxMs in all. Each event's data is JSON.
export type SseEvent = { id?: string, event?: string, data: unknown }

export function parseSse (text: string): SseEvent[] {
  const events: SseEvent[] = []
  for (const block of text.split(/\r?\n\r?\n/)) {
    let id: string | undefined
    let event: string | undefined
    const data: string[] = []
    for (const line of block.split(/\r?\n/)) {
      if (line === '' || line.startsWith(':')) continue
      const i = line.indexOf(':')
      const field = i === -1 ? line : line.slice(0, i)
      const value = i === -1 ? '' : line.slice(i + 1).replace(/^ /, '')
      if (field === 'id') id = value
      else if (field === 'event') event = value
      else if (field === 'data') data.push(value)
    }
    if (data.length === 0) continue
    let parsed: unknown = data.join('\n')
    try { parsed = JSON.parse(parsed as string) } catch {}
    events.push({ id, event, data: parsed })
  }
  return events
}

/** The comment lines of a stream's text (`: keep-alive`), which keep idle connections open (GRIDIM-CLI-15). */
export function countComments (text: string): number {
  return text.split(/\r?\n/).filter((line) => line.startsWith(':')).length
}

/**
 * `closed`: the server ended the stream (rather than the reader stopping after quietMs or maxMs);
 * `comments`: how many comment lines came; `longestQuietMs`: the longest time the stream sent
 * nothing, from its answer to the end of reading (GRIDIM-CLI-15).
 */
export async function readSse (url: string, headers: Record<string, string>, { quietMs = 500, maxMs = 5000 } = {}): Promise<{ status: number, contentType?: string, events: SseEvent[], body?: unknown, comments: number, closed: boolean, longestQuietMs: number }> {
  const controller = new AbortController()
  const hardStop = setTimeout(() => controller.abort(), maxMs)
  try {
    const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal })
    const contentType = res.headers.get('content-type') ?? undefined
    if (!res.ok || !res.body) {
      const text = await res.text()
      let body: unknown = text
      try { body = JSON.parse(text) } catch {}
      return { status: res.status, contentType, events: [], body, comments: 0, closed: true, longestQuietMs: 0 }
    }
    const reader = res.body.getReader()
    const decoder = new TextDecoder()
    let text = ''
    let closed = false
    let lastLineAt = Date.now()
    let longestQuietMs = 0
    for (;;) {
      let quiet: NodeJS.Timeout | undefined
      // A connection the server cuts (not the reader's own abort at maxMs) closes the stream too.
      const chunk = await Promise.race([
        reader.read(),
        new Promise<null>((resolve) => { quiet = setTimeout(() => resolve(null), quietMs) })
      ]).catch(() => controller.signal.aborted ? null : 'cut' as const)
      clearTimeout(quiet)
      if (chunk === 'cut' || chunk?.done === true) closed = true
      longestQuietMs = Math.max(longestQuietMs, Date.now() - lastLineAt)
      if (chunk === null || chunk === 'cut' || chunk.done) break
      lastLineAt = Date.now()
      text += decoder.decode(chunk.value, { stream: true })
    }
    controller.abort()
    return { status: res.status, contentType, events: parseSse(text), comments: countComments(text), closed, longestQuietMs }
  } finally {
    clearTimeout(hardStop)
  }
}
