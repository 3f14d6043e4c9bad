// What the gateway checks before it serves anyone (GRIDIM-XMPP-58, -59): that its domain is the
// one the user server publishes, and that its Jabber server accepts the component handshake. A
// mismatch is a set-up mistake, reported once, naming both values and what to change — retrying
// or running on would only lose stanzas later, with no error anyone sees.
import type { StreamError } from '../xmpp/stanza/index.ts'
import type { JabberServerLink } from './create-gateway.ts'

/** A set-up mistake: the gateway does not start (or stops linking); the message says what to change. */
export class GatewayConfigError extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'GatewayConfigError'
  }
}

/**
 * GRIDIM-XMPP-58: grid users are first.last@<the directory's gatewayDomain> (GRIDIM-ID-8); a
 * gateway serving another domain would have the user server take its own users for foreign ones.
 */
export function checkGatewayDomain (own: string, published: string): void {
  if (own.toLowerCase() === published.toLowerCase()) return
  throw new GatewayConfigError(
    `the user server's gateway domain is ${published} but this gateway's is ${own}: start the gateway with ` +
    `--gateway-domain ${published} (or the user server with --gateway-domain ${own}); grid users' XMPP addresses ` +
    'are first.last@<gateway domain>, so both must be the same (GRIDIM-XMPP-58)'
  )
}

/** GRIDIM-XMPP-59: what the refused handshake means, and which setting to change. */
export function componentRefusal (link: JabberServerLink, domain: string, error: StreamError): GatewayConfigError {
  const where = `the Jabber server at ${link.host}:${link.port} (${link.serverDomain})`
  const cure = error.condition === 'host-unknown'
    ? `it has no component ${domain}: add the component ${domain} to its configuration, or start the gateway with the --gateway-domain it has`
    : `the shared secret is wrong, or it has no component ${domain}: give --jabber-secret the secret of the component ${domain} in its configuration`
  return new GatewayConfigError(`${where} refused the component handshake with ${error.condition}; ${cure}. Not trying again (GRIDIM-XMPP-59)`)
}
