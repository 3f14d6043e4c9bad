// A small web page on loopback that runs Converse.js from node_modules (its dist bundle), served
// from its own port: to the gateway it is another origin, as a real site embedding Converse is
// (so BOSH goes through CORS, GRIDIM-XMPP-56). Only the page and Converse's dist files are served.
import { createServer, type Server } from 'node:http'
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { dirname, join, normalize, sep } from 'node:path'

// The package exports no subpaths, so its dist folder is found from the project's node_modules.
const DIST = join(dirname(fileURLToPath(import.meta.url)), '../../../node_modules/converse.js/dist')
const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.wasm': 'application/wasm', '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2', '.woff': 'font/woff', '.ttf': 'font/ttf', '.mp3': 'audio/mpeg', '.ogg': 'audio/ogg' }

export interface ConversePage { url: string, stop: () => Promise<void> }

/** Serves `/` (the page: Converse 14's dist is an ES module; it calls `converse.initialize(settings)`) and `/dist/…`. */
export async function startConversePage (settings: Record<string, unknown>): Promise<ConversePage> {
  const page = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>GridIM × Converse.js</title>
<link rel="stylesheet" href="/dist/converse.min.css"></head>
<body class="converse-fullscreen"><script type="module">
import converse from '/dist/converse.min.js'
converse.initialize(${JSON.stringify({ assets_path: '/dist/', ...settings })})
</script></body></html>`
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://page').pathname
    if (path === '/' || path === '/index.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      res.end(page)
      return
    }
    const file = normalize(join(DIST, decodeURIComponent(path.replace(/^\/dist\//, ''))))
    if (!file.startsWith(DIST + sep)) { res.writeHead(404).end(); return }
    readFile(file).then((body) => {
      res.writeHead(200, { 'content-type': TYPES[file.slice(file.lastIndexOf('.'))] ?? 'application/octet-stream' })
      res.end(body)
    }, () => { res.writeHead(404).end() })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0
  return {
    // `localhost`, not the gateway's 127.0.0.1: another host and another port, another origin.
    url: `http://localhost:${port}/`,
    stop: async () => { server.closeAllConnections(); await new Promise<void>((resolve) => server.close(() => resolve())) }
  }
}
