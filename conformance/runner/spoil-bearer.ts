// Wrong session secrets a client may present (GRIDIM-CLI-2): not a missing header, which any
// region refuses, but a secret close to the right one, which only a region that compares the
// whole secret refuses.
export const BEARER_SPOILS = ['truncated', 'altered'] as const
export type BearerSpoil = typeof BEARER_SPOILS[number]

/**
 * `truncated`: the secret without its last character; `altered`: its last character replaced by
 * another base64url character. Both are still of the bearer token's form (RFC 6750 §2.1).
 */
export function spoilBearer (spoil: BearerSpoil, secret: string): string {
  if (secret.length < 2) throw new Error('a session secret of fewer than 2 characters cannot be spoilt meaningfully')
  const head = secret.slice(0, -1)
  if (spoil === 'truncated') return head
  return head + (secret.endsWith('A') ? 'B' : 'A')
}
