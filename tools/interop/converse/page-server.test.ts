// The Converse page server: the page, Converse's dist files, and nothing else (404).
import t from 'tap'
import { request } from 'node:http'
import { startConversePage } from './page-server.ts'

/** A raw GET, so that a path with an encoded `..` reaches the server as written. */
function get (url: string, path: string): Promise<{ status: number, type: string | undefined, body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(url), { path }, (res) => {
      let body = ''
      res.setEncoding('utf8').on('data', (c: string) => { body += c }).on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], body }))
    })
    req.on('error', reject).end()
  })
}

t.test('the page initialises Converse with the settings; dist files are served; others are 404', async (t) => {
  const page = await startConversePage({ jid: 'eve.test@grid.localhost', websocket_url: 'ws://127.0.0.1:1/xmpp-websocket' })
  t.teardown(() => page.stop())
  t.match(new URL(page.url).hostname, 'localhost')
  const index = await get(page.url, '/')
  t.equal(index.status, 200)
  t.match(index.body, /converse\.initialize\(\{"assets_path":"\/dist\/","jid":"eve\.test@grid\.localhost","websocket_url":"ws:\/\/127\.0\.0\.1:1\/xmpp-websocket"\}\)/)
  t.match(await get(page.url, '/dist/converse.min.css'), { status: 200, type: 'text/css' })
  t.match(await get(page.url, '/dist/converse.min.js'), { status: 200, type: 'text/javascript' })
  t.match(await get(page.url, '/curve25519_compiled.wasm'), { status: 200, type: 'application/wasm' }, 'asked for at the root by Converse')
  t.match(await get(page.url, '/dist/no-such-file.js'), { status: 404 })
  t.match(await get(page.url, '/..%2fpackage.json'), { status: 404 }, 'nothing outside dist')
  t.match(await get(page.url, '/dist/converse.min.js.map'), { status: 200, type: 'application/octet-stream' })
})
