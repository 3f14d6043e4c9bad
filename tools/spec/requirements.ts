// Reads the requirements out of the normative text (spec/protocol/*.md). A requirement is one
// paragraph that begins with its bold id: `**GRIDIM-IM-4** A region MUST ...`.
import { readdirSync, readFileSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const SPEC_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../spec')
export const PROTOCOL_DIR = join(SPEC_DIR, 'protocol')

export type Level = 'must' | 'should' | 'may'

export type Requirement = {
  id: string
  level: Level
  /** The paragraph without its bold id, whitespace folded. */
  text: string
  chapter: string
  line: number
}

export type SpecProblem = { chapter: string, line: number, message: string }

const ID_AT_START = /^\*\*(GRIDIM-[A-Z]+-[0-9]+)\*\*\s*/
// RFC 2119 / RFC 8174: only the upper-case forms are keywords.
const MUST = /\b(MUST|REQUIRED|SHALL)\b/
const SHOULD = /\b(SHOULD|RECOMMENDED)\b/
const MAY = /\b(MAY|OPTIONAL)\b/
const ANY_KEYWORD = /\b(MUST|REQUIRED|SHALL|SHOULD|RECOMMENDED|MAY|OPTIONAL)\b/

function levelOf (text: string): Level | undefined {
  if (MUST.test(text)) return 'must'
  if (SHOULD.test(text)) return 'should'
  if (MAY.test(text)) return 'may'
  return undefined
}

type Paragraph = { text: string, line: number }

/** Paragraphs of a Markdown file, skipping fenced code blocks. */
function paragraphs (source: string): Paragraph[] {
  const out: Paragraph[] = []
  let current: string[] = []
  let start = 0
  let fenced = false
  const flush = (): void => {
    if (current.length > 0) out.push({ text: current.join(' ').replace(/\s+/g, ' ').trim(), line: start })
    current = []
  }
  source.split('\n').forEach((line, index) => {
    if (/^\s*(```|~~~)/.test(line)) { fenced = !fenced; flush(); return }
    if (fenced) return
    if (line.trim() === '' || /^#{1,6}\s/.test(line) || /^\s*\|/.test(line)) { flush(); if (line.trim() !== '') out.push({ text: line.trim(), line: index + 1 }); return }
    if (current.length === 0) start = index + 1
    current.push(line.trim())
  })
  flush()
  return out
}

export function parseChapter (chapter: string, source: string): { requirements: Requirement[], problems: SpecProblem[] } {
  const requirements: Requirement[] = []
  const problems: SpecProblem[] = []
  for (const p of paragraphs(source)) {
    const m = ID_AT_START.exec(p.text)
    if (m === null) {
      // Quoted keywords ("MUST") are how the conventions section names them; that is not a requirement.
      const unquoted = p.text.replace(/"[A-Z ]+"/g, '').replace(/`[^`]*`/g, '')
      if (ANY_KEYWORD.test(unquoted)) problems.push({ chapter, line: p.line, message: `RFC 2119 keyword outside a requirement: ${p.text.slice(0, 80)}` })
      continue
    }
    const text = p.text.slice(m[0].length)
    const level = levelOf(text)
    if (level === undefined) problems.push({ chapter, line: p.line, message: `${m[1]} has no RFC 2119 keyword` })
    requirements.push({ id: m[1]!, level: level ?? 'may', text, chapter, line: p.line })
  }
  return { requirements, problems }
}

export function loadRequirements (dir = PROTOCOL_DIR): { requirements: Requirement[], problems: SpecProblem[] } {
  const requirements: Requirement[] = []
  const problems: SpecProblem[] = []
  const seen = new Map<string, Requirement>()
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.md')).sort()) {
    const result = parseChapter(basename(file), readFileSync(join(dir, file), 'utf8'))
    problems.push(...result.problems)
    for (const r of result.requirements) {
      const earlier = seen.get(r.id)
      if (earlier) problems.push({ chapter: r.chapter, line: r.line, message: `${r.id} is already defined in ${earlier.chapter}:${earlier.line}` })
      seen.set(r.id, r)
      requirements.push(r)
    }
  }
  return { requirements, problems }
}
