// An XMPP client over BOSH (XEP-0124, XEP-0206) with strophe.js: how an IM-only grid user's app
// reaches the gateway at POST /http-bind (GRIDIM-XMPP-6). Strophe works on DOM elements; stanzas
// cross to and from ltx as text, received ones through the reference's hostile-XML parser.
import { DOMParser } from '@xmldom/xmldom'
import type { Element } from 'ltx'
import { Strophe } from 'strophe.js'
// @ts-expect-error xmlhttprequest-ssl ships no type declarations
import XHR from 'xmlhttprequest-ssl'
import { NS_CLIENT, parseStanzaXml } from '../../reference/xmpp/stanza/index.ts'
import { streamEnds, type Login, type XmppConnection } from './connection.ts'

/** Strophe's DOM elements (@xmldom/xmldom); this project's TypeScript has no DOM library. */
type DomElement = { nodeName: string }

/** Node has no XMLHttpRequest; without an xmlParser Strophe never sees a responseXML and hangs. */
function installXhr (): void {
  if ((globalThis as Record<string, unknown>).XMLHttpRequest !== undefined) return
  class NodeXMLHttpRequest extends (XHR as new (options: object) => object) {
    constructor () {
      super({ xmlParser: (text: string) => new DOMParser().parseFromString(text, 'text/xml') })
    }
  }
  ;(globalThis as Record<string, unknown>).XMLHttpRequest = NodeXMLHttpRequest
}

/** XEP-0206 §5: stanzas in a BOSH <body/> are qualified by jabber:client. */
function toDom (el: Element): DomElement {
  const copy = parseStanzaXml(el.toString())
  copy.attrs.xmlns ??= NS_CLIENT
  return Strophe.xmlHtmlNode(copy.toString()).documentElement as unknown as DomElement
}

const toLtx = (el: DomElement): Element => parseStanzaXml(Strophe.serialize(el as never) ?? '')

const STANZAS = new Set(['message', 'presence', 'iq'])
const NS_ROSTER = 'jabber:iq:roster'

export async function connectBosh (url: string, login: Login): Promise<XmppConnection> {
  installXhr()
  // Strophe logs every request at DEBUG by default; the runner records the stanzas itself
  // (STROPHE_DEBUG=1 shows Strophe's own account, for debugging a BOSH session).
  Strophe.setLogLevel(process.env.STROPHE_DEBUG ? Strophe.LogLevel.DEBUG : Strophe.LogLevel.ERROR)
  const connection = new Strophe.Connection(url)
  const timeoutMs = login.timeoutMs ?? 10_000
  const jid = `${login.username}@${login.domain}${login.resource === undefined ? '' : `/${login.resource}`}`
  let onStatus = (_status: number, _condition?: string): void => {}
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => { connection.reset(); reject(new Error(`BOSH login at ${url} took more than ${timeoutMs} ms`)) }, timeoutMs)
    onStatus = (status, condition) => {
      if (status === Strophe.Status.CONNECTED) { clearTimeout(timer); resolve() }
      if (status === Strophe.Status.AUTHFAIL || status === Strophe.Status.CONNFAIL || status === Strophe.Status.ERROR) {
        clearTimeout(timer)
        reject(new Error(`BOSH login at ${url} failed: ${Object.keys(Strophe.Status).find((k) => (Strophe.Status as Record<string, number>)[k] === status)} ${condition ?? ''}`.trim()))
      }
    }
    connection.connect(jid, login.password, (status: number, condition?: string) => onStatus(status, condition))
  })
  const listeners: Array<(el: Element) => void> = []
  const { end, onEnd, ended } = streamEnds()
  // XEP-0124 §17, XEP-0206 §6: the server ends a session with a terminate body, a stream error
  // inside it when there is one. Strophe reports only a summary (conflict, or the condition), so
  // the body is read as it arrived.
  connection.xmlInput = (elem: unknown) => {
    const text = Strophe.serialize(elem as never) ?? ''
    if (!/^<body[^>]*\stype=["']terminate["']/.test(text)) return
    const terminate = /^<body[^>]*\scondition=["']([^"']*)["']/.exec(text)?.[1]
    const streamError = /<(?:stream:)?error[^>]*>\s*<([a-z-]+)/.exec(text)?.[1]
    end({ ...(terminate === undefined ? {} : { terminate }), ...(streamError === undefined ? {} : { streamError }) })
  }
  onStatus = (status) => { if (status === Strophe.Status.DISCONNECTED) end({}) }
  connection.addHandler((dom: DomElement) => {
    if (STANZAS.has(dom.nodeName)) {
      const el = toLtx(dom)
      for (const listener of listeners) listener(el)
      // RFC 6121 §2.1.6: a client acknowledges a roster push, as the stream clients do (test-client.ts).
      if (el.name === 'iq' && el.attrs.type === 'set' && el.getChild('query', NS_ROSTER) !== undefined) {
        connection.send(Strophe.xmlHtmlNode(`<iq xmlns='${NS_CLIENT}' type='result' id='${String(el.attrs.id ?? '').replace(/[<>&'"]/g, '')}'/>`).documentElement as never)
      }
    }
    return true
  }, null, null, null, null, null)
  return {
    jid: String(connection.jid),
    send: async (el) => { connection.send(toDom(el) as never) },
    iq: async (el, ms = 10_000) => await new Promise<Element>((resolve, reject) => {
      connection.sendIQ(toDom(el) as never, (answer: DomElement) => resolve(toLtx(answer)), (answer: DomElement | null) =>
        reject(new Error(answer === null ? `no answer to the IQ within ${ms} ms` : `IQ error: ${Strophe.serialize(answer as never) ?? ''}`)), ms)
    }),
    onStanza: (listener) => { listeners.push(listener) },
    onEnd,
    close: async () => {
      // A session the server ended has nothing left to close (XEP-0124 §13).
      if (ended() !== undefined) { connection.reset(); return }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => { connection.reset(); resolve() }, timeoutMs)
        onStatus = (status) => { if (status === Strophe.Status.DISCONNECTED) { clearTimeout(timer); end({}); resolve() } }
        connection.disconnect('signing off')
      })
    }
  }
}
