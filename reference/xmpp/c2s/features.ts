// RFC 6120 §4.3.2: the stream features offered before and after authentication.
import { Element } from 'ltx'
import { NS_BIND, NS_SASL, NS_SESSION } from './ns.ts'

/** RFC 6120 §6.4.1: the SASL mechanisms; none when PLAIN may not be offered (GRIDIM-XMPP-8). */
export function saslFeatures (offerPlain: boolean): Element {
  const features = new Element('stream:features')
  const mechanisms = features.c('mechanisms', { xmlns: NS_SASL })
  if (offerPlain) mechanisms.c('mechanism').t('PLAIN')
  return features
}

/** RFC 6120 §7.2: resource binding, plus the optional legacy session (RFC 6121 Appendix E). */
export function boundFeatures (): Element {
  const features = new Element('stream:features')
  features.c('bind', { xmlns: NS_BIND })
  features.c('session', { xmlns: NS_SESSION }).c('optional')
  return features
}

/** RFC 6120 §6.5: a SASL <failure/> with its condition. */
export function saslFailure (condition: string, text?: string): Element {
  const failure = new Element('failure', { xmlns: NS_SASL })
  failure.c(condition)
  if (text !== undefined) failure.c('text').t(text)
  return failure
}

export function saslSuccess (): Element {
  return new Element('success', { xmlns: NS_SASL })
}
