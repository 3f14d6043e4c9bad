import t from 'tap'
import type { Element } from 'ltx'
import { XmlStreamParser } from './xml-stream.ts'
import type { StreamHeader } from './header.ts'

function parse (chunks: Array<Buffer | string>): { header?: StreamHeader, elements: Element[], closed: boolean } {
  const out: { header?: StreamHeader, elements: Element[], closed: boolean } = { elements: [], closed: false }
  const parser = new XmlStreamParser({ open: (h) => { out.header = h }, element: (el) => out.elements.push(el), close: () => { out.closed = true } })
  for (const chunk of chunks) parser.write(chunk)
  return out
}

const HEADER = "<stream:stream xmlns='jabber:component:accept' xmlns:stream='http://etherx.jabber.org/streams' from='grid.localhost' id='abc'>"

t.test('bytes become a header and parsed elements; UTF-8 split across chunks survives', async (t) => {
  const bytes = Buffer.from(HEADER + "<message id='1'><body>héllo ☃</body></message></stream:stream>")
  const cut = bytes.indexOf(0xe2) + 1 // inside the snowman's three bytes
  const out = parse([bytes.subarray(0, cut), bytes.subarray(cut)])
  t.same(out.header, { xmlns: 'jabber:component:accept', from: 'grid.localhost', id: 'abc' })
  t.equal(out.elements[0]?.getChildText('body'), 'héllo ☃')
  t.ok(out.closed)
})

t.test('an element in the wrong stream namespace is invalid-namespace', async (t) => {
  t.throws(() => parse(["<stream:stream xmlns:stream='urn:wrong'>"]), { name: 'StreamError', condition: 'invalid-namespace' })
})

t.test('GRIDIM-XMPP-44: broken XML inside a stanza is not-well-formed', async (t) => {
  t.throws(() => parse([HEADER, '<message><body></message>']), { name: 'StreamError', condition: 'not-well-formed' })
})

t.test('GRIDIM-XMPP-43: an undeclared entity is restricted-xml and nothing after it is handled', async (t) => {
  const elements: Element[] = []
  const parser = new XmlStreamParser({ open: () => {}, element: (el) => elements.push(el), close: () => {} })
  t.throws(() => parser.write(HEADER + '<message><body>&xxe;</body></message>'), { name: 'StreamError', condition: 'restricted-xml' })
  parser.write('<presence/>')
  t.same(elements, [])
})
