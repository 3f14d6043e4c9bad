// One client stream (RFC 6120): header, SASL PLAIN (§6), restart, resource binding (§7), then
// stanzas routed to the GridPort. Transport-agnostic: TCP, WebSocket and BOSH feed it parsed
// elements and carry what it sends. One session's failure never touches another.
import { randomBytes, randomUUID } from 'node:crypto'
import { Element } from 'ltx'
import { StreamError, checkJid } from '../stanza/index.ts'
import type { StreamHeader } from '../stream/index.ts'
import { boundFeatures, saslFailure, saslFeatures, saslSuccess } from './features.ts'
import { errorReply, iqResult } from './iq.ts'
import { NS_BIND, NS_SASL, NS_SESSION } from './ns.ts'
import type { SessionRegistry } from './registry.ts'
import { routeStanza, type RouterContext } from './router.ts'
import { decodePlain } from './sasl-plain.ts'
import type { Authenticate, AuthenticatedUser, C2sSessionHandle, C2sTransport } from './types.ts'

export interface C2sOptions extends RouterContext {
  authenticate: Authenticate
  registry: SessionRegistry
  /** GRIDIM-XMPP-8: offer PLAIN on transports without TLS (the operator says they are secure). */
  plainOnInsecure?: boolean
  /** RFC 6120 §6.4.5: failed SASL attempts before the stream is closed (policy-violation). */
  maxAuthFailures?: number
  /** Stanzas waiting to be handled before the stream is closed (resource-constraint). */
  maxPending?: number
}

type State = 'header' | 'sasl' | 'restart' | 'bind' | 'bound' | 'closed'

export class C2sSession implements C2sSessionHandle {
  readonly id = randomUUID()
  private state: State = 'header'
  private user: AuthenticatedUser | undefined
  private resource = ''
  private authFailures = 0
  private pending = 0
  private chain: Promise<void> = Promise.resolve()

  constructor (private readonly options: C2sOptions, private readonly transport: C2sTransport) {}

  get userId (): string { return this.user?.userId ?? '' }
  get bareJid (): string { return this.user?.jid ?? '' }
  get jid (): string { return `${this.bareJid}/${this.resource}` }
  get bound (): boolean { return this.state === 'bound' }
  get closed (): boolean { return this.state === 'closed' }

  /** RFC 6120 §4.2 (and §4.3.3 after SASL): the client opened, or re-opened, its stream. */
  streamOpened (header: Pick<StreamHeader, 'to' | 'lang'>): void {
    if (this.state === 'closed') return
    if (header.to !== undefined && header.to !== this.options.domain) {
      return this.fail(new StreamError('host-unknown', `this server is ${this.options.domain}`))
    }
    if (this.state !== 'header' && this.state !== 'restart') return this.fail(new StreamError('bad-format', 'a stream restart now is unexpected'))
    this.transport.openStream({ id: randomBytes(12).toString('hex'), from: this.options.domain, version: '1.0', ...(header.lang === undefined ? {} : { lang: header.lang }) })
    if (this.user === undefined) {
      this.state = 'sasl'
      this.transport.send(saslFeatures(this.transport.secure || this.options.plainOnInsecure === true))
    } else {
      this.state = 'bind'
      this.transport.send(boundFeatures())
    }
  }

  /** One parsed top-level element; handled strictly in arrival order. */
  element (el: Element): void {
    if (this.state === 'closed') return
    if (++this.pending > (this.options.maxPending ?? 100)) return this.fail(new StreamError('resource-constraint', 'too many stanzas waiting'))
    if (this.state === 'bound') this.options.gridPort.arrived?.(this, el)
    this.chain = this.chain.then(() => this.handle(el)).catch((error: unknown) => {
      this.fail(error instanceof StreamError ? error : new StreamError('internal-server-error'))
    }).finally(() => { this.pending-- })
  }

  /** The client closed its stream (RFC 6120 §4.4): answer with ours and end. */
  streamClosed (): void {
    this.end(undefined, true)
  }

  /** The transport is gone without a close (socket reset, BOSH inactivity). */
  transportLost (): void {
    this.end(undefined, false)
  }

  /** A stream error (e.g. from the parser): sent, then the stream ends. */
  fail (error: StreamError): void {
    this.end(error, true)
  }

  send (el: Element): void {
    if (this.state !== 'closed') this.transport.send(el)
  }

  close (error?: StreamError): void {
    this.end(error, true)
  }

  private end (error: StreamError | undefined, write: boolean): void {
    if (this.state === 'closed') return
    const wasBound = this.state === 'bound'
    this.state = 'closed'
    if (write) this.transport.closeStream(error)
    if (!wasBound) return
    this.options.registry.remove(this)
    Promise.resolve(this.options.gridPort.sessionEnded?.(this, error === undefined ? {} : { error })).catch(() => {})
  }

  private async handle (el: Element): Promise<void> {
    switch (this.state) {
      case 'sasl': return await this.sasl(el)
      case 'bind': return await this.bind(el)
      case 'bound': return await routeStanza(this.options, this, el)
      case 'closed': return
      default: throw new StreamError('not-authorized', 'the stream is not authenticated (RFC 6120 §6.4.1)')
    }
  }

  /** RFC 6120 §6.4.2–§6.4.6 with the PLAIN mechanism (RFC 4616, GRIDIM-XMPP-7). */
  private async sasl (el: Element): Promise<void> {
    if (el.getNS() !== NS_SASL) throw new StreamError('not-authorized', 'authenticate first (RFC 6120 §6.4.1)')
    if (el.name === 'abort') return this.transport.send(saslFailure('aborted'))
    if (el.name !== 'auth') throw new StreamError('not-authorized', `unexpected <${el.name.slice(0, 64)}/> during SASL`)
    const offered = this.transport.secure || this.options.plainOnInsecure === true
    if (el.attrs.mechanism !== 'PLAIN' || !offered) return this.transport.send(saslFailure('invalid-mechanism'))
    const credentials = decodePlain(el.getText())
    if (credentials === undefined) return this.authFailed('malformed-request')
    const user = await this.options.authenticate(credentials.authcid, credentials.password).catch(() => 'failed' as const)
    if (user === 'failed') return this.authFailed('temporary-auth-failure')
    if (user === null) return this.authFailed('not-authorized')
    // RFC 6120 §6.4.6: an authorization identity other than the user's own is refused.
    if (credentials.authzid !== '' && credentials.authzid !== user.jid) return this.authFailed('invalid-authzid')
    this.user = user
    this.state = 'restart'
    this.transport.send(saslSuccess())
  }

  private authFailed (condition: string): void {
    this.transport.send(saslFailure(condition))
    if (++this.authFailures >= (this.options.maxAuthFailures ?? 3)) throw new StreamError('policy-violation', 'too many failed authentication attempts (RFC 6120 §6.4.5)')
  }

  /** RFC 6120 §7.5–§7.7: bind a resource (the client's, or one we pick); then the session is live. */
  private async bind (el: Element): Promise<void> {
    if (el.name !== 'iq' || el.attrs.type !== 'set') throw new StreamError('not-authorized', 'bind a resource first (RFC 6120 §7.1)')
    if (el.getChild('session', NS_SESSION) !== undefined) return this.transport.send(iqResult(el))
    const bind = el.getChild('bind', NS_BIND)
    if (bind === undefined) throw new StreamError('not-authorized', 'bind a resource first (RFC 6120 §7.1)')
    const wanted = bind.getChildText('resource')?.trim() ?? ''
    const resource = wanted === '' ? `gridim-${randomBytes(6).toString('hex')}` : wanted
    try {
      checkJid(`${this.bareJid}/${resource}`)
    } catch {
      return this.transport.send(errorReply(el, { type: 'modify', condition: 'bad-request', text: 'not a valid resource (RFC 6120 §7.7.2.1)' }))
    }
    this.resource = resource
    this.state = 'bound'
    this.options.registry.bind(this)
    const result = iqResult(el)
    result.c('bind', { xmlns: NS_BIND }).c('jid').t(this.jid)
    this.transport.send(result)
    try {
      await this.options.gridPort.sessionStarted?.(this)
    } catch (error) {
      throw error instanceof StreamError ? error : new StreamError('internal-server-error')
    }
  }
}

