// A BOSH client light enough for ten thousand sessions in one process (strophe.js is far too
// heavy for that): XEP-0124 session creation, XEP-0206 SASL PLAIN, stream restart and resource
// binding, initial presence, then long polls — always one request held by the server
// (hold=1), a second only while sending (requests=2). Plain keep-alive HTTP from one shared
// agent; response bodies parsed with ltx.
import type { Agent } from 'node:http'
import { parse, type Element } from 'ltx'
import { send } from './http-client.ts'

const NS_HTTPBIND = 'http://jabber.org/protocol/httpbind'
const NS_XBOSH = 'urn:xmpp:xbosh'

export type BoshOptions = {
  agent: Agent
  url: URL
  domain: string
  username: string
  password: string
  /** Seconds the server may hold a request (XEP-0124 §7.1). */
  wait: number
  /** Called with the text of every <message><body/> received once online. */
  onBody?: (body: string) => void
  /** Called when the session ends unexpectedly (terminate, HTTP error). */
  onEnd?: (reason: string) => void
}

export class BoshClient {
  sid = ''
  jid = ''
  #rid = Math.floor(Math.random() * 2 ** 32) + 1
  #outstanding = 0
  #online = false
  #closed = false
  #pending: Element[] = []

  constructor (readonly options: BoshOptions) {}

  get closed (): boolean {
    return this.#closed
  }

  #wrap (attrs: Record<string, string>, payload = ''): string {
    const a = Object.entries({ rid: String(this.#rid++), xmlns: NS_HTTPBIND, ...(this.sid ? { sid: this.sid } : {}), ...attrs })
      .map(([k, v]) => ` ${k}='${v}'`).join('')
    return payload === '' ? `<body${a}/>` : `<body${a}>${payload}</body>`
  }

  async #post (xml: string): Promise<Element> {
    this.#outstanding++
    try {
      const answer = await send(this.options.agent, 'POST', this.options.url, xml, { 'content-type': 'text/xml; charset=utf-8' })
      if (answer.status !== 200) throw new Error(`HTTP ${answer.status}`)
      const body = parse(answer.text) as Element
      if (body.attrs.type === 'terminate') throw new Error(`terminated: ${body.attrs.condition ?? ''} ${answer.text.slice(0, 200)}`)
      return body
    } finally {
      this.#outstanding--
    }
  }

  /** Login: posts `xml`, then empty polls, until a child element `name` arrives. */
  async #exchange (xml: string, name: string): Promise<Element> {
    let body = await this.#post(xml)
    for (;;) {
      this.#pending.push(...body.children.filter((c): c is Element => typeof c !== 'string'))
      const at = this.#pending.findIndex((el) => el.name === name || el.name.endsWith(`:${name}`))
      if (at >= 0) {
        const [found] = this.#pending.splice(0, at + 1).slice(-1)
        return found!
      }
      body = await this.#post(this.#wrap({}))
    }
  }

  async login (): Promise<void> {
    const { domain, username, password, wait } = this.options
    const create = await this.#post(this.#wrap({ to: domain, 'xml:lang': 'en', ver: '1.6', wait: String(wait), hold: '1', content: 'text/xml; charset=utf-8', 'xmpp:version': '1.0', 'xmlns:xmpp': NS_XBOSH }))
    this.sid = String(create.attrs.sid)
    this.#pending.push(...create.children.filter((c): c is Element => typeof c !== 'string'))
    if (!this.#pending.some((el) => el.name.endsWith('features'))) await this.#exchange(this.#wrap({}), 'features')
    this.#pending = []
    const token = Buffer.from(`\0${username}\0${password}`).toString('base64')
    const sasl = await this.#exchange(this.#wrap({}, `<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>${token}</auth>`), 'success').catch((error: Error) => { throw new Error(`${username}: ${error.message}`) })
    if (sasl.name !== 'success') throw new Error(`${username}: authentication failed`)
    this.#pending = []
    await this.#exchange(this.#wrap({ 'xmpp:restart': 'true', 'xmlns:xmpp': NS_XBOSH, to: domain, 'xml:lang': 'en' }), 'features')
    const bound = await this.#exchange(this.#wrap({}, "<iq type='set' id='bind1' xmlns='jabber:client'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>bench</resource></bind></iq>"), 'iq')
    this.jid = bound.getChild('bind')?.getChildText('jid') ?? ''
    if (this.jid === '') throw new Error(`${username}: bind failed: ${bound.toString().slice(0, 200)}`)
    this.#pending = []
    this.#online = true
    this.#request(this.#wrap({}, "<presence xmlns='jabber:client'/>"))
  }

  /** Sends stanzas now (a second request beside the held one). */
  send (stanzas: string): void {
    if (this.#closed) return
    this.#request(this.#wrap({}, stanzas))
  }

  #request (xml: string): void {
    this.#post(xml).then((body) => {
      for (const child of body.children) {
        if (typeof child === 'string' || child.name !== 'message') continue
        const text = child.getChildText('body')
        if (text !== null) this.options.onBody?.(text)
      }
      this.#pump()
    }, (error: Error) => {
      if (this.#closed) return
      this.#closed = true
      this.options.onEnd?.(error.message)
    })
  }

  /** Keeps one request held at the server at all times (XEP-0124 §11). */
  #pump (): void {
    if (this.#closed || !this.#online) return
    if (this.#outstanding < 1) this.#request(this.#wrap({}))
  }

  /** Ends the session (XEP-0124 §13) without waiting for the answer. */
  terminate (): void {
    if (this.#closed) return
    this.#closed = true
    send(this.options.agent, 'POST', this.options.url, this.#wrap({ type: 'terminate' }, "<presence type='unavailable' xmlns='jabber:client'/>"), { 'content-type': 'text/xml; charset=utf-8' }).catch(() => {})
  }
}
