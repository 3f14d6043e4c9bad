// One page per chapter of the normative text (spec/protocol/*.md), README as the overview.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { PROTOCOL_DIR } from '../spec/requirements.ts'
import type { Output } from '../generate/header.ts'
import { page } from './layout.ts'
import { chapterPage, linksFrom } from './links.ts'
import { createMarkdown } from './markdown.ts'
import type { DocsModel } from './model.ts'

export function chapterTitle (source: string, chapter: string): string {
  return /^#\s+(.+)$/m.exec(source)?.[1]?.trim() ?? chapter
}

export function renderChapters (model: DocsModel): Output[] {
  const links = linksFrom(model, 1)
  const md = createMarkdown(model, links)
  return model.chapters.map((chapter) => {
    const source = readFileSync(join(PROTOCOL_DIR, chapter), 'utf8')
    const html = md.parse(source, { async: false }) as string
    return { path: `spec/${chapterPage(chapter)}`, content: page(`${chapterTitle(source, chapter)} — GridIM`, links, html) }
  })
}
