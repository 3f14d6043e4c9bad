// The frame of every page the docs renderer writes itself (Redoc pages have their own): one
// inline stylesheet and a navigation bar, so each page stands alone and needs no network.
import { DOCUMENTS } from '../../reference/lib/contract/load-openapi.ts'
import { escapeHtml } from '../../conformance/lib/escape-html.ts'
import type { Links } from './links.ts'

const STYLE = `body{font:16px/1.55 system-ui,sans-serif;max-width:62rem;margin:0 auto;padding:0 1rem 4rem;color:#222}
nav{position:sticky;top:0;background:#fff;border-bottom:1px solid #ddd;padding:.6rem 0;margin-bottom:1rem;font-size:.95rem}
nav a{margin-right:1rem}nav .sep{color:#999;margin-right:1rem}
a{color:#0b57a4;text-decoration:none}a:hover{text-decoration:underline}
code,pre{font:14px/1.4 ui-monospace,monospace;background:#f4f4f4;border-radius:3px}code{padding:0 .2em}pre{padding:.5rem;overflow:auto}
table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}
.requirement{border-left:4px solid #8a1c1c;background:#fcf8f8;padding:.1rem .8rem;margin:1rem 0;scroll-margin-top:3.5rem}
.requirement.should{border-color:#a66b00;background:#fdfaf3}.requirement.may{border-color:#577;background:#f6f9f9}
.requirement:target{outline:2px solid #0b57a4}
a.req-id{font-weight:bold;color:#8a1c1c}.proof{font-size:.9rem;margin:.2rem 0 .6rem;color:#444}
.proof ul{margin:.2rem 0;padding-left:1.2rem}.unproved{color:#a00}
.step{border-top:1px solid #ddd;padding-top:.5rem;scroll-margin-top:3.5rem}.step:target{background:#f3f8fd}
.method{font-weight:bold;text-transform:uppercase;font-size:.85rem}
tr:target{background:#f3f8fd}[id]{scroll-margin-top:3.5rem}
.muted{color:#666}
body.wide{max-width:80rem}table.ops{font-size:.9rem}table.ops td:first-child{white-space:nowrap}table.ops td:nth-child(2){min-width:14rem}`

export function page (title: string, links: Links, body: string, wide = false): string {
  const nav = [`<a href="${links.root}index.html">GridIM docs</a>`, `<a href="${links.root}spec/README.html">Specification</a>`,
    `<a href="${links.root}operations.html">Operations</a>`, `<a href="${links.root}index.html#flows">Flows</a>`, '<span class="sep">API:</span>',
    ...DOCUMENTS.map((d) => `<a href="${links.api(d)}">${d}</a>`)].join('')
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>\n<body${wide ? ' class="wide"' : ''}><nav>${nav}</nav>\n<main>\n${body}\n</main>\n</body></html>\n`
}
