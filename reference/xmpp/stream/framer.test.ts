import t from 'tap'
import { XmlStreamFramer } from './framer.ts'

function frame (chunks: string[], max?: number): string[] {
  const out: string[] = []
  const framer = new XmlStreamFramer({
    open: (xml) => out.push(`open ${xml}`),
    element: (xml) => out.push(xml),
    close: () => out.push('close')
  }, max)
  for (const chunk of chunks) framer.push(chunk)
  return out
}

const HEADER = "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='a'>"

t.test('a stream is split into its header, elements and close, however the bytes arrive', async (t) => {
  const stanzas = "<message to='b' id='1'><body>x &gt; y</body></message>  \n<presence/><iq id='2' type='get'><q a='>'/></iq>"
  const expected = [
    "open <stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='a'/>",
    "<message to='b' id='1'><body>x &gt; y</body></message>", '<presence/>', "<iq id='2' type='get'><q a='>'/></iq>", 'close'
  ]
  const whole = HEADER + stanzas + '</stream:stream>'
  t.same(frame([whole]), expected)
  t.same(frame(whole.split('')), expected, 'one character at a time')
})

t.test('whitespace keep-alives between stanzas are skipped (RFC 6120 §4.6.1)', async (t) => {
  t.same(frame([HEADER, ' ', '\n', ' <presence/>', ' ']).slice(1), ['<presence/>'])
})

t.test('CDATA with markup inside stays inside its stanza', async (t) => {
  t.same(frame([HEADER, '<message><body><![CDATA[</message><x>]]></body></message>']).slice(1), ['<message><body><![CDATA[</message><x>]]></body></message>'])
})

t.test('GRIDIM-XMPP-43: DTDs, comments and processing instructions close the stream with restricted-xml', async (t) => {
  for (const bad of ['<!DOCTYPE x [<!ENTITY a "b">]>', '<message><!-- c --></message>', '<?php x ?>', '<message><?pi?></message>']) {
    t.throws(() => frame([HEADER, bad]), { name: 'StreamError', condition: 'restricted-xml' }, bad)
  }
  t.throws(() => frame(['<!DOCTYPE stream>']), { name: 'StreamError', condition: 'restricted-xml' }, 'even before the header')
})

t.test('GRIDIM-XMPP-45: a stanza past the limit is refused before it is complete', async (t) => {
  t.throws(() => frame([HEADER, '<message><body>' + 'x'.repeat(2000)], 1000), { name: 'StreamError', condition: 'policy-violation' })
  t.throws(() => frame([HEADER, '<message><body>' + 'é'.repeat(600)], 1000), { name: 'StreamError', condition: 'policy-violation' }, 'bytes, not characters')
  t.same(frame([HEADER, '<message><body>' + 'x'.repeat(900) + '</body></message>'], 1000).length, 2)
})

t.test('text between stanzas is bad-format; a self-closed header too', async (t) => {
  t.throws(() => frame([HEADER, 'hello']), { name: 'StreamError', condition: 'bad-format' })
  t.throws(() => frame(["<stream:stream xmlns='jabber:client'/>"]), { name: 'StreamError', condition: 'bad-format' })
})
