// Markdown of the normative text to HTML, with the cross-references made into links: a
// requirement paragraph (`**GRIDIM-IM-4** ...`) becomes an anchor followed by the flow steps that
// prove it; every other requirement id links to its paragraph, an operationId in backticks (how
// the spec names operations) to its Redoc page, and a link to a chapter's .md to its page.
import { Marked, Renderer, type Tokens } from 'marked'
import { DOCUMENTS } from '../../reference/lib/contract/load-openapi.ts'
import { escapeHtml } from '../../conformance/lib/escape-html.ts'
import { chapterPage, REQUIREMENT_ID, type Links } from './links.ts'
import type { DocsModel, Proof } from './model.ts'

const WHOLE_ID = /^GRIDIM-[A-Z]+-[0-9]+$/
const DOCUMENT_FILE = /^openapi\/([a-z-]+)\.yaml$/

export function slug (text: string): string {
  return text.toLowerCase().replace(/<[^>]*>/g, '').replace(/&[a-z]+;/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')
}

/** Requirement ids in already-escaped HTML text turned into links (unknown ids stay text). */
export function linkRequirementIds (html: string, links: Links): string {
  return html.replace(REQUIREMENT_ID, (id) => {
    const href = links.requirement(id)
    return href === undefined ? id : `<a class="req" href="${href}" title="${escapeHtml(links.sentence(id))}">${id}</a>`
  })
}

/** The operationId in backticks as a link to its Redoc section, or undefined when it is not one. */
export function linkCode (text: string, model: DocsModel, links: Links): string | undefined {
  const href = links.operation(text)
  if (href !== undefined) {
    const op = model.operations.get(text)!
    return `<a href="${href}" title="${op.method.toUpperCase()} ${escapeHtml(op.path)} (${op.document})"><code>${escapeHtml(text)}</code></a>`
  }
  const doc = DOCUMENT_FILE.exec(text)?.[1]
  if (doc !== undefined && (DOCUMENTS as readonly string[]).includes(doc)) {
    return `<a href="${links.api(doc)}"><code>${escapeHtml(text)}</code></a>`
  }
  return undefined
}

function proofList (proofs: Proof[], links: Links): string {
  const byFlow = new Map<string, Proof[]>()
  for (const p of proofs) byFlow.set(p.flow.id, [...(byFlow.get(p.flow.id) ?? []), p])
  const items = [...byFlow.values()].map((ps) => {
    const flow = ps[0]!.flow
    const steps = [...new Map(ps.map((p) => [p.step, p])).values()].map((p) =>
      `<a href="${links.flow(flow.id, p.step)}" title="${escapeHtml(p.outcome)}">${escapeHtml(p.step)}</a>`)
    return `<li><a href="${links.flow(flow.id)}">${escapeHtml(flow.title)}</a> <span class="muted">(${flow.id})</span> — step${steps.length > 1 ? 's' : ''} ${steps.join(', ')}</li>`
  })
  const summary = `Proved by ${byFlow.size} flow${byFlow.size > 1 ? 's' : ''}`
  return `<details class="proof"${byFlow.size <= 4 ? ' open' : ''}><summary>${summary}</summary><ul>${items.join('')}</ul></details>`
}

export function proofOf (id: string, model: DocsModel, links: Links): string {
  const proofs = model.provedBy.get(id)
  if (proofs !== undefined) return proofList(proofs, links)
  const reason = model.uncovered.get(id)
  if (reason !== undefined) {
    return `<div class="proof unproved">No flow proves it (<a href="${links.chapter('uncovered.md')}">uncovered</a>): ${linkRequirementIds(escapeHtml(reason), links)}</div>`
  }
  return '<div class="proof unproved">No flow proves it.</div>'
}

export function createMarkdown (model: DocsModel, links: Links): Marked {
  const base = new Renderer()
  return new Marked({
    gfm: true,
    renderer: {
      heading (token: Tokens.Heading) {
        const inner = this.parser.parseInline(token.tokens)
        return `<h${token.depth} id="${slug(inner)}">${inner}</h${token.depth}>\n`
      },
      paragraph (token: Tokens.Paragraph) {
        const [first, ...rest] = token.tokens
        const id = first?.type === 'strong' ? (first as Tokens.Strong).text : ''
        const requirement = model.requirement.get(id)
        if (requirement === undefined) return false
        return `<div class="requirement ${requirement.level}" id="${id}"><p><a class="req-id" href="#${id}">${id}</a>` +
          `${this.parser.parseInline(rest)}</p>${proofOf(id, model, links)}</div>\n`
      },
      strong (token: Tokens.Strong) {
        return WHOLE_ID.test(token.text) ? `<strong>${linkRequirementIds(token.text, links)}</strong>` : false
      },
      codespan (token: Tokens.Codespan) {
        return linkCode(token.text, model, links) ?? false
      },
      text (token: Tokens.Text | Tokens.Escape) {
        if ('tokens' in token && token.tokens !== undefined) return false
        return linkRequirementIds(base.text.call(this, token), links)
      },
      link (token: Tokens.Link) {
        const m = /^([a-z0-9-]+)\.md(#.*)?$/i.exec(token.href)
        if (m === null || !model.chapters.includes(`${m[1]}.md`)) return false
        return `<a href="${chapterPage(`${m[1]}.md`)}${m[2] ?? ''}">${this.parser.parseInline(token.tokens)}</a>`
      }
    }
  })
}

/** Inline Markdown (a flow's sentences) with the same links. */
export function inline (md: Marked, text: string): string {
  return md.parseInline(text, { async: false }) as string
}
