// What a test asks of a real XMPP server, and what it gets back.

export interface ComponentAccount {
  /** The component's domain, e.g. grid.localhost. */
  domain: string
  secret: string
}

export interface UserAccount {
  /** The localpart. */
  user: string
  password: string
}

/** A contact in a user's roster (RFC 6121 §2.1.2), as a test puts it there before the user logs in. */
export interface RosterItem {
  jid: string
  name?: string
  subscription: 'none' | 'to' | 'from' | 'both'
}

export interface XmppServerOptions {
  /** The server's own domain; jabber.localhost unless told. */
  domain?: string
  components?: ComponentAccount[]
  users?: UserAccount[]
  /** A multi-user chat service: true for conference.<domain>, or its domain. */
  muc?: boolean | string
  /** Bound on the wait for the ports to open (ms). */
  startTimeoutMs?: number
  /**
   * SASL mechanisms the server must not offer (ejabberd's disable_sasl_mechanisms; Prosody 0.12
   * offers no DIGEST-MD5 to begin with). sendxmpp picks DIGEST-MD5 when offered, and ejabberd
   * 23.01 refuses its authzid (its bare JID, which RFC 6120 §6.3.8 allows) with "Nodeprep failed".
   */
  disabledSaslMechanisms?: string[]
}

export interface RunningXmppServer {
  name: 'prosody' | 'ejabberd'
  domain: string
  mucDomain?: string
  c2sPort: number
  componentPort: number
  httpPort: number
  /** Creates an account while the server runs. */
  register (account: UserAccount): Promise<void>
  /**
   * Puts a contact in a user's roster with the given subscription state, as if the subscription
   * handshake had happened — only before the user's first login (the server caches rosters).
   */
  addRosterItem (user: string, item: RosterItem): Promise<void>
  /** Kills the server and starts it again on the same ports with the same data. */
  restart (): Promise<void>
  /** Kills the server and removes its temporary folder. */
  stop (): Promise<void>
  /** The tail of the server's output, for diagnosing a failed test. */
  readonly log: string
}

export const DEFAULT_DOMAIN = 'jabber.localhost'
export const DEFAULT_START_TIMEOUT_MS = 15_000

export function mucDomainOf (options: XmppServerOptions, domain: string): string | undefined {
  if (options.muc === undefined || options.muc === false) return undefined
  return options.muc === true ? `conference.${domain}` : options.muc
}
