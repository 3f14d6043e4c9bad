// The hostile text a `send` with `spoil: comment` writes: the stanza with a comment in its body.
import t from 'tap'
import { parseStanzaXml } from '../../reference/xmpp/stanza/index.ts'
import { buildStanza } from '../xmpp/build-stanza.ts'
import { withComment } from './xmpp-users.ts'

t.test('the comment goes inside the body, and from is left for the server to stamp', async (t) => {
  const built = buildStanza('chat-message', { to: 'ada@grid.localhost', id: 'm1', body: 'Never delivered' }, 'erin@grid.localhost/app')
  const text = withComment(built.element)
  t.match(text, /<body>Never delivered<!-- a comment --><\/body>/)
  t.notMatch(text, /from=/)
  t.throws(() => parseStanzaXml(text), /comment/i, 'the reference parser refuses it as RFC 6120 §11.1 says')
})

t.test('a stanza without a body gets the comment before its end tag', async (t) => {
  const built = buildStanza('presence-available', {}, 'erin@grid.localhost/app')
  t.match(withComment(built.element), /<!-- a comment --><\/presence>$/)
})

t.test('a stanza with children but no body gets the comment before its end tag', async (t) => {
  const built = buildStanza('chat-state', { to: 'ada@grid.localhost', state: 'composing' }, 'erin@grid.localhost/app')
  t.match(withComment(built.element), /<!-- a comment --><\/message>$/)
})
