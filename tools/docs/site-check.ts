// Checks a rendered docs folder the way a reader would find it broken: a relative link to a file
// that is not there or to an anchor the target does not have, an API page that is not a Redoc page
// with its definition, or anything fetched from the network as a script or stylesheet (the pages
// must work offline). Redoc pages route `#operation/<operationId>` themselves, so such a link
// holds when the page's embedded definition has that operation.
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'

export type SitePage = { path: string, html: string }

const NETWORK_LOADS: Array<[string, RegExp]> = [
  ['script src', /<script\b[^>]*\bsrc\s*=\s*["']?(?:https?:)?\/\//i],
  ['link href', /<link\b[^>]*\bhref\s*=\s*["']?(?:https?:)?\/\//i],
  ['module import', /\b(?:from|import)\s*\(?\s*["'](?:https?:)?\/\//],
  ['css @import', /@import\s+(?:url\()?\s*["']?(?:https?:)?\/\//i]
]

export function readSite (dir: string): SitePage[] {
  const pages: SitePage[] = []
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const full = join(folder, entry.name)
      if (entry.isDirectory()) walk(full)
      else if (entry.name.endsWith('.html')) pages.push({ path: relative(dir, full).split('\\').join('/'), html: readFileSync(full, 'utf8') })
    }
  }
  walk(dir)
  return pages.sort((a, b) => a.path.localeCompare(b.path))
}

/** The OpenAPI definition a Redoc page hydrates from, or undefined when the page has none. */
export function redocDefinition (html: string): any {
  const m = /const __redoc_definition = (.*?);\n\s*const __redoc_options/s.exec(html)
  return m === null ? undefined : JSON.parse(m[1]!)
}

export function isRedocPage (html: string): boolean {
  // The bundle inline in a module script that hydrates the prerendered page (no src: no CDN).
  return /<div id="redoc">/.test(html) && /<script type="module">[^<]*?RedocStandalone[\s\S]*?hydrate\(__redoc_definition/.test(html) &&
    redocDefinition(html) !== undefined
}

export function operationIdsOf (definition: any): string[] {
  return Object.values(definition?.paths ?? {}).flatMap((item: any) =>
    Object.values(item ?? {}).map((op: any) => op?.operationId).filter((id): id is string => typeof id === 'string'))
}

function anchorsOf (page: SitePage): Set<string> {
  const definition = redocDefinition(page.html)
  if (definition !== undefined) return new Set(operationIdsOf(definition).map((id) => `operation/${id}`))
  return new Set([...page.html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!))
}

function unescapeAttribute (s: string): string {
  return s.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')
}

function hrefs (html: string): string[] {
  return [...html.matchAll(/<a\b[^>]*\shref="([^"]*)"/g)].map((m) => unescapeAttribute(m[1]!))
}

/**
 * The page's links. On a Redoc page: the template's, and the Markdown links in the descriptions
 * of the definition it renders (Redoc's own `#/...` routes are its business, and its bundle holds
 * href-like strings that are no links at all).
 */
function linksOf (page: SitePage): string[] {
  const definition = redocDefinition(page.html)
  if (definition === undefined) return hrefs(page.html)
  const markdown = [...JSON.stringify(definition).matchAll(/\]\((\.\.\/[^)\s"]+)\)/g)].map((m) => m[1]!)
  return [...hrefs(page.html.slice(0, page.html.indexOf('<div id="redoc">'))), ...markdown]
}

export type SiteReport = { problems: string[], links: number }

export function checkSite (pages: SitePage[]): SiteReport {
  const byPath = new Map(pages.map((p) => [p.path, p]))
  const anchors = new Map<string, Set<string>>()
  const anchorsFor = (p: SitePage): Set<string> => {
    let set = anchors.get(p.path)
    if (set === undefined) anchors.set(p.path, set = anchorsOf(p))
    return set
  }
  const problems: string[] = []
  let links = 0
  for (const page of pages) {
    for (const [what, pattern] of NETWORK_LOADS) {
      const m = pattern.exec(page.html)
      if (m !== null) problems.push(`${page.path}: loads from the network (${what}): ${page.html.slice(m.index, page.html.indexOf('>', m.index) + 1 || undefined).slice(0, 120)}`)
    }
    for (const href of linksOf(page)) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(href)) continue // an external page the reader may follow; nothing is loaded
      links++
      const [file, fragment] = href.split('#', 2) as [string, string | undefined]
      const target = file === '' ? page.path : relative('/', resolve('/', dirname(page.path), file)).split('\\').join('/')
      const targetPage = byPath.get(target)
      if (targetPage === undefined) { problems.push(`${page.path}: link to a missing page: ${href}`); continue }
      if (fragment !== undefined && fragment !== '' && !anchorsFor(targetPage).has(decodeURIComponent(fragment))) {
        problems.push(`${page.path}: link to a missing anchor: ${href}`)
      }
    }
  }
  return { problems, links }
}
