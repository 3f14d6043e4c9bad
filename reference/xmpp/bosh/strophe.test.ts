// A real BOSH client (strophe.js over xmlhttprequest-ssl, see /work/shared/xmpp-peers.md)
// against the gateway's /http-bind on a real listener.
import t from 'tap'
import Hapi from '@hapi/hapi'
import { DOMParser } from '@xmldom/xmldom'
// @ts-expect-error xmlhttprequest-ssl ships no type declarations
import XHR from 'xmlhttprequest-ssl'
import { $msg, $pres, Strophe } from 'strophe.js'
import { DOMAIN, testC2sServer, until } from '../c2s/test-support.ts'
import { boshPlugin } from './plugin.ts'

type DomElement = { getAttribute (name: string): string | null }

// Without an xmlParser the request never reaches a usable responseXML and Strophe hangs.
class NodeXMLHttpRequest extends (XHR as new (options: object) => object) {
  constructor () {
    super({ xmlParser: (text: string) => new DOMParser().parseFromString(text, 'text/xml') })
  }
}
;(globalThis as Record<string, unknown>).XMLHttpRequest = NodeXMLHttpRequest

t.test('GRIDIM-XMPP-6: strophe.js logs in over BOSH, exchanges a message and disconnects', async (t) => {
  const { c2s, recorded } = testC2sServer()
  const server = Hapi.server({ host: '127.0.0.1', port: 0 })
  await server.register({ plugin: boshPlugin, options: { c2s, maxWait: 2 } })
  await server.start()
  const connection = new Strophe.Connection(`http://127.0.0.1:${server.info.port}/http-bind`)
  t.teardown(async () => { connection.reset(); c2s.closeAll(); await server.stop({ timeout: 100 }) })
  if (process.env.DEBUG_BOSH) { connection.rawInput = (d: string) => console.error('IN ', d); connection.rawOutput = (d: string) => console.error('OUT', d) }
  const started = Date.now()
  await new Promise<void>((resolve, reject) => {
    connection.connect(`ada.lovelace@${DOMAIN}/strophe`, 'ada-pw', (status: number) => {
      if (status === Strophe.Status.CONNECTED) resolve()
      if (status === Strophe.Status.AUTHFAIL || status === Strophe.Status.CONNFAIL) reject(new Error(`strophe status ${status}`))
    })
  })
  t.comment(`strophe BOSH login in ${Date.now() - started} ms`)
  t.equal(connection.jid, `ada.lovelace@${DOMAIN}/strophe`)
  t.same(recorded.started, [`ada.lovelace@${DOMAIN}/strophe`])

  const echoed = new Promise<DomElement>((resolve) => {
    connection.addHandler((stanza: DomElement) => { resolve(stanza); return false }, null, 'message', 'chat')
  })
  connection.send($pres())
  const sent = Date.now()
  connection.send($msg({ to: `charles.babbage@${DOMAIN}`, type: 'chat', id: 'strophe-1' }).c('body').t('echo'))
  const echo = await echoed
  t.comment(`strophe BOSH message round trip in ${Date.now() - sent} ms`)
  t.equal(echo.getAttribute('id'), 'strophe-1')
  await until('the presence', () => recorded.presences.length === 1)

  connection.disconnect('bye')
  await until('the stream to end', () => recorded.ended.length === 1)
  t.pass('disconnect ended the session')
})
