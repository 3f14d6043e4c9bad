// One page per flow (spec/flows/*.yaml): its actors, setup and steps, each step an anchor
// (`#step-9.3`) that the requirement paragraphs link to, each outcome naming what it proves.
import { stringify } from 'yaml'
import type { Output } from '../generate/header.ts'
import type { Step } from '../../spec/flows/schema.ts'
import { escapeHtml } from '../../conformance/lib/escape-html.ts'
import { page } from './layout.ts'
import { linksFrom, type Links } from './links.ts'
import { createMarkdown, inline, linkCode, linkRequirementIds } from './markdown.ts'
import type { DocsModel } from './model.ts'
import type { Marked } from 'marked'

type Flow = DocsModel['flows'][number]['flow']

export function sourceText (source: Flow['source']): string {
  if (source.kind === 'seed-step') return `seed step ${source.ref}`
  if (source.kind === 'seed-assumption') return `seed assumption ${source.ref}`
  return `expected behaviour: ${source.ref}`
}

function yamlBlock (value: unknown): string {
  return `<pre>${escapeHtml(stringify(value).trimEnd())}</pre>`
}

function renderStep (step: Step, model: DocsModel, links: Links, md: Marked): string {
  const parts = [`<section class="step" id="step-${escapeHtml(step.id)}"><h3><a href="#step-${escapeHtml(step.id)}">Step ${escapeHtml(step.id)}</a> — ${escapeHtml(step.actor)}</h3>`,
    `<p>${inline(md, step.action)}</p>`]
  if (step.do !== undefined) {
    const what = 'call' in step.do ? (linkCode(step.do.call, model, links) ?? `<code>${escapeHtml(step.do.call)}</code>`) : `stanza <code>${escapeHtml(step.do.send)}</code>`
    parts.push(`<p><b>Does:</b> ${what}${step.do.as !== undefined ? ` as ${escapeHtml(step.do.as)}` : ''}</p>`)
    const { call: _c, send: _s, as: _a, ...rest } = step.do as Record<string, unknown>
    if (Object.keys(rest).length > 0) parts.push(yamlBlock(rest))
  }
  if (step.exchanges !== undefined && step.exchanges.length > 0) {
    parts.push('<p><b>On the wire:</b></p><ul>' + step.exchanges.map((ex) => {
      const what = ex.operation !== undefined ? (linkCode(ex.operation, model, links) ?? escapeHtml(ex.operation)) : `stanza <code>${escapeHtml(ex.stanza ?? '')}</code>`
      return `<li>${what} ${escapeHtml(ex.from)} → ${escapeHtml(ex.to)}${ex.note !== undefined ? ` <span class="muted">(${escapeHtml(ex.note)})</span>` : ''}</li>`
    }).join('') + '</ul>')
  }
  if (step.outcomes.length > 0) {
    parts.push('<p><b>Outcomes:</b></p><ul>' + step.outcomes.map((o) =>
      `<li>${inline(md, o.text)} — proves ${o.requirements.map((id) => linkRequirementIds(id, links)).join(', ')}` +
      (o.expect !== undefined ? `<details><summary class="muted">expectation</summary>${yamlBlock(o.expect)}</details>` : '') + '</li>').join('') + '</ul>')
  }
  parts.push('</section>')
  return parts.join('\n')
}

export function renderFlow ({ file, flow }: DocsModel['flows'][number], model: DocsModel, links: Links, md: Marked): string {
  const actors = Object.entries(flow.actors).map(([name, a]) =>
    `<tr><td>${escapeHtml(name)}</td><td>${escapeHtml(a.kind)}${a.simulated === true ? ' (simulated by the runner)' : ''}</td><td>${escapeHtml(a.at ?? '')}</td><td>${escapeHtml(a.description ?? '')}</td></tr>`)
  return [`<h1>${escapeHtml(flow.title)}</h1>`,
    `<p class="muted"><code>${flow.id}</code> · ${escapeHtml(sourceText(flow.source))}${flow.needs !== undefined ? ` · needs ${flow.needs.join(', ')}` : ''} · <code>spec/flows/${escapeHtml(file)}</code></p>`,
    `<p>${inline(md, flow.summary)}</p>`,
    `<h2>Actors</h2><table><tr><th>name</th><th>kind</th><th>at</th><th>description</th></tr>${actors.join('')}</table>`,
    flow.setup !== undefined ? `<h2>Setup</h2>${yamlBlock(flow.setup)}` : '',
    '<h2>Steps</h2>', ...flow.steps.map((s) => renderStep(s, model, links, md))].join('\n')
}

export function renderFlows (model: DocsModel): Output[] {
  const links = linksFrom(model, 1)
  const md = createMarkdown(model, links)
  return model.flows.map((loaded) => ({ path: `flows/${loaded.flow.id}.html`, content: page(`${loaded.flow.title} — GridIM flow`, links, renderFlow(loaded, model, links, md)) }))
}
