// Where each thing lives in the rendered docs, as a link from a page `depth` folders below the
// docs root. Redoc answers `#operation/<operationId>` by scrolling to that operation.
import type { DocsModel } from './model.ts'

export const REQUIREMENT_ID = /GRIDIM-[A-Z]+-[0-9]+/g

export function chapterPage (chapter: string): string {
  return chapter.replace(/\.md$/, '.html')
}

export type Links = ReturnType<typeof linksFrom>

export function linksFrom (model: DocsModel, depth: 0 | 1) {
  const root = depth === 0 ? '' : '../'
  return {
    root,
    requirement: (id: string): string | undefined => {
      const r = model.requirement.get(id)
      return r === undefined ? undefined : `${root}spec/${chapterPage(r.chapter)}#${id}`
    },
    /** The requirement's sentence, for a link's tooltip. */
    sentence: (id: string): string => model.requirement.get(id)?.text ?? '',
    chapter: (chapter: string): string => `${root}spec/${chapterPage(chapter)}`,
    api: (document: string): string => `${root}api/${document}.html`,
    operation: (operationId: string): string | undefined => {
      const op = model.operations.get(operationId)
      return op === undefined ? undefined : `${root}api/${op.document}.html#operation/${operationId}`
    },
    flow: (flowId: string, step?: string): string => `${root}flows/${flowId}.html${step === undefined ? '' : `#step-${step}`}`
  }
}
