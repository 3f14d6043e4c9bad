// Which GridIM role a requirement binds, read from its sentence: the subject before its RFC 2119
// keyword ("The user server MUST …", "A region that … MUST …"), with the chapter as a fallback
// (chapter 11 binds the gateway, chapter 10 a region's client interface). Rules every role
// shares ("A receiver", "Every role", ROLE-9) bind whichever role the check observes: `any`.
import { loadRequirements, type Requirement } from '../../tools/spec/requirements.ts'

export type RoleKind = 'user-server' | 'region' | 'client-interface' | 'gateway' | 'client' | 'any'

const NOUNS: Array<[RegExp, RoleKind]> = [
  [/\buser server\b/i, 'user-server'],
  [/\bgateway\b/i, 'gateway'],
  [/\bregions?\b/i, 'region'],
  [/\bclients?\b/i, 'client']
]

const INTERFACE_LIST = /^(?:[\w-]*(?:,\s*|\s+and\s+|\s+or\s+))*[\w-]*\s+interfaces?\b/i

/** The role nouns of `phrase`, in the order they occur. */
function nounsIn (phrase: string): RoleKind[] {
  const found: Array<{ at: number, kind: RoleKind }> = []
  for (const [re, kind] of NOUNS) {
    const g = new RegExp(re.source, 'gi')
    for (const m of phrase.matchAll(g)) {
      // "the user-server, region, client and admin interfaces" name interfaces, not a role.
      if (INTERFACE_LIST.test(phrase.slice(m.index + m[0].length))) continue
      found.push({ at: m.index, kind })
    }
  }
  return found.sort((a, b) => a.at - b.at).map((f) => f.kind)
}

/** Chapter file name → the role its rules bind when the sentence names none. */
function chapterRole (chapter: string): RoleKind {
  if (chapter.startsWith('11-')) return 'gateway'
  if (chapter.startsWith('10-')) return 'client-interface'
  return 'any'
}

/** The role `r` binds. Exported for the tests; `requirementRole` caches it per id. */
export function roleOfRequirement (r: Pick<Requirement, 'text' | 'chapter'>): RoleKind {
  // Code spans (`openapi/region.yaml`, `regionId`) name things, not roles.
  const subject = (r.text.match(/^(.*?)\b(?:MUST|SHOULD|MAY|REQUIRED)\b/)?.[1] ?? r.text).replace(/`[^`]*`/g, '')
  // "A region that receives … from the user server MUST": a sentence that opens with a role
  // has it as its subject; otherwise ("On a valid signOn the user server MUST") the role
  // nearest the keyword is — unless a clause hands it back ("When the user server …, it").
  const opening = subject.match(/^\s*(?:The|A|An|Every|Each)\s+(user server|gateway|region|client)\b(,|\s+and\b)?/i)
  const nouns = nounsIn(subject)
  const nearest = /,\s*it\s*$/.test(subject) ? nouns[0] : nouns.at(-1)
  let kind: RoleKind = opening !== null ? nounsIn(opening[1]!)[0]! : nearest ?? chapterRole(r.chapter)
  // "A region, the gateway and the user server MUST": each of them, whichever is observed.
  if (opening?.[2] !== undefined) kind = 'any'
  // "Every region and the gateway", "Every role", "A receiver": whichever role is observed.
  if (/^\s*(?:Every|Each)\s/i.test(subject) && new Set(nouns).size !== 1) kind = 'any'
  if (/^\s*(?:A|An|Every|Each|The)\s+(?:receiver|signer|role|party|sender)\b(?!')/i.test(subject)) kind = 'any'
  // A region's duties in chapter 10 are those of its client interface.
  if (kind === 'region' && r.chapter.startsWith('10-')) kind = 'client-interface'
  return kind
}

let byId: Map<string, { role: RoleKind, chapter: string }> | undefined

function table (): Map<string, { role: RoleKind, chapter: string }> {
  byId ??= new Map(loadRequirements().requirements.map((r) => [r.id, { role: roleOfRequirement(r), chapter: r.chapter }]))
  return byId
}

/** The role requirement `id` binds; `any` for an id the specification lacks. */
export function requirementRole (id: string): RoleKind {
  return table().get(id)?.role ?? 'any'
}

/** The chapter of requirement `id`, as its number and title ("05 leases"); its prefix when unknown. */
export function requirementChapter (id: string): string {
  const file = table().get(id)?.chapter
  if (file === undefined) return id.split('-')[1] ?? id
  return file.replace(/\.md$/, '').replace(/^(\d+)-/, '$1 ').replace(/-/g, ' ')
}
