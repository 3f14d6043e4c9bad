// The parts of @xmpp/client and @xmpp/component (test clients only) that the tests use;
// neither package ships type declarations.
declare module '@xmpp/client' {
  import type { Element } from 'ltx'
  export interface XmppEntity {
    status: string
    jid: { toString (): string, bare (): { toString (): string } } | null
    start (): Promise<unknown>
    stop (): Promise<unknown>
    send (...elements: Element[]): Promise<void>
    /** Writes text to the stream as it is (@xmpp/connection). */
    write (text: string): Promise<void>
    on (event: 'stanza' | 'element' | 'nonza', listener: (element: Element) => void): this
    on (event: 'error', listener: (error: Error & { condition?: string }) => void): this
    on (event: 'online', listener: (jid: unknown) => void): this
    on (event: string, listener: (...args: any[]) => void): this
    once (event: string, listener: (...args: any[]) => void): this
    off? (event: string, listener: (...args: any[]) => void): this
    iqCaller: { request (element: Element, timeout?: number): Promise<Element> }
    iqCallee: { get (ns: string, name: string, handler: (ctx: unknown) => unknown): void, set (ns: string, name: string, handler: (ctx: unknown) => unknown): void }
    reconnect: { stop (): void }
  }
  export type Authenticate = (credentials: { username: string, password: string }, mechanism: string) => Promise<void>
  export interface ClientOptions {
    service: string
    domain: string
    resource?: string
    username?: string
    password?: string
    credentials?: (authenticate: Authenticate, mechanisms: string[]) => Promise<void>
  }
  export function client (options: ClientOptions): XmppEntity
  export function xml (name: string, attrs?: Record<string, string> | null, ...children: Array<Element | string>): Element
}

declare module '@xmpp/component' {
  import type { XmppEntity } from '@xmpp/client'
  export function component (options: { service: string, domain: string, password: string }): XmppEntity
  export { xml } from '@xmpp/client'
}
