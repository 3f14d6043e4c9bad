// What an error says, for a report: its message, or — where it has none (an AggregateError of a
// connection tried on every address of a name, an error thrown bare) — its code, the errors
// inside it and its kind, so that a step that could not be performed never reads as blank.
export function errorText (err: unknown): string {
  if (!(err instanceof Error)) return String(err)
  if (err.message !== '') return err.message
  const code = (err as NodeJS.ErrnoException).code
  const inner = err instanceof AggregateError ? (err.errors as unknown[]).map(errorText) : []
  const parts = [...new Set([...(code === undefined ? [] : [code]), ...inner])]
  return parts.length > 0 ? `${err.name}: ${parts.join('; ')}` : `${err.name} (no message)`
}
