import t, { type Test } from 'tap'
import { DEFAULT_STANZA_LIMITS, parseStanzaXml, type StanzaXmlLimits } from './parse.ts'

function rejects (t: Test, xml: string, condition: string, limits?: StanzaXmlLimits): void {
  t.throws(() => parseStanzaXml(xml, limits), { name: 'StreamError', condition }, condition)
}

const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<message to="a@b.example"><body>&lol9;</body></message>`

t.test('a well-formed stanza parses into an ltx element', async (t) => {
  const el = parseStanzaXml('<message to="a@b.example" type="chat"><body>hi &amp; bye</body></message>')
  t.equal(el.name, 'message')
  t.equal(el.getChildText('body'), 'hi & bye')
})

t.test('a leading XML declaration in UTF-8 is accepted', async (t) => {
  t.equal(parseStanzaXml("<?xml version='1.0' encoding='UTF-8'?>\n<presence/>").name, 'presence')
})

t.test('a DOCTYPE is refused as restricted-xml (RFC 6120 §11.1)', async (t) => {
  rejects(t, '<!DOCTYPE message><message/>', 'restricted-xml')
  rejects(t, '<!doctype message><message/>', 'restricted-xml')
})

t.test('an entity-expansion bomb is refused as restricted-xml before anything expands', async (t) => {
  rejects(t, BILLION_LAUGHS, 'restricted-xml')
})

t.test('an external entity (XXE) is refused as restricted-xml', async (t) => {
  rejects(t, '<!DOCTYPE m [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><message><body>&xxe;</body></message>', 'restricted-xml')
})

t.test('a DOCTYPE hidden in a CDATA section is still refused', async (t) => {
  rejects(t, '<message><body><![CDATA[<!DOCTYPE x>]]></body></message>', 'restricted-xml')
})

t.test('a reference to an entity other than the five predefined ones is refused as restricted-xml', async (t) => {
  rejects(t, '<message><body>&nbsp;</body></message>', 'restricted-xml')
  rejects(t, '<message to="&xxe;"/>', 'restricted-xml')
})

t.test('the five predefined entities and character references are expanded', async (t) => {
  const el = parseStanzaXml('<m a="&quot;&apos;"><b>&lt;&gt;&amp;&#233;&#x1F600;</b></m>')
  t.equal(el.attrs.a, `"'`)
  t.equal(el.getChildText('b'), '<>&é😀')
})

t.test('comments and processing instructions are refused as restricted-xml (RFC 6120 §11.1)', async (t) => {
  rejects(t, '<message><!-- hello --><body>x</body></message>', 'restricted-xml')
  rejects(t, '<message><?php echo 1 ?></message>', 'restricted-xml')
  rejects(t, "<?xml version='1.0' encoding='ISO-8859-1'?><message/>", 'restricted-xml')
})

t.test('a stanza over the size limit is refused as policy-violation, counted in bytes of UTF-8', async (t) => {
  const filler = (n: number) => `<message><body>${'x'.repeat(n - '<message><body></body></message>'.length)}</body></message>`
  t.equal(parseStanzaXml(filler(DEFAULT_STANZA_LIMITS.maxBytes)).name, 'message', 'exactly 64 KiB is accepted')
  rejects(t, filler(DEFAULT_STANZA_LIMITS.maxBytes + 1), 'policy-violation')
  rejects(t, `<m>${'é'.repeat(600)}</m>`, 'policy-violation', { maxBytes: 1000 })
  t.equal(parseStanzaXml(`<m>${'é'.repeat(400)}</m>`, { maxBytes: 1000 }).name, 'm')
})

t.test('elements nested past the depth limit are refused as policy-violation', async (t) => {
  const nest = (depth: number) => '<a>'.repeat(depth) + '</a>'.repeat(depth)
  t.equal(parseStanzaXml(nest(DEFAULT_STANZA_LIMITS.maxDepth)).name, 'a', 'exactly the limit is accepted')
  rejects(t, nest(DEFAULT_STANZA_LIMITS.maxDepth + 1), 'policy-violation')
  rejects(t, nest(4), 'policy-violation', { maxDepth: 3 })
  rejects(t, '<a>'.repeat(20000), 'policy-violation')
})

t.test('broken XML is refused as not-well-formed', async (t) => {
  const cases: Array<[string, string]> = [
    ['an unclosed element', '<message><body>hi</body>'],
    ['an unclosed start tag', '<message to="a@b.example"'],
    ['mismatched end tags', '<message><body>hi</message></body>'],
    ['an end tag with no start', '</message>'],
    ['two root elements', '<message/><presence/>'],
    ['text before the root', 'hello<message/>'],
    ['text after the root', '<message/>hello'],
    ['empty input', ''],
    ["a bare '&'", '<message><body>fish & chips</body></message>'],
    ['a character reference to NUL', '<message><body>&#0;</body></message>'],
    ['a raw control character', '<message><body>\u0001</body></message>'],
    ['a lone surrogate', '<message><body>\uD800</body></message>'],
    ['an unterminated CDATA section', '<message><body><![CDATA[oops</body></message>'],
    ["']]>' in text", '<message><body>a ]]> b</body></message>'],
    ['an element name that is not an XML name', '<1message/>'],
    ['an attribute name that is not an XML name', '<message 1to="x"/>']
  ]
  for (const [why, xml] of cases) t.test(why, async (t) => rejects(t, xml, 'not-well-formed'))
})

t.test('text after a CDATA section in the same element is kept', async (t) => {
  t.equal(parseStanzaXml('<b><![CDATA[<x> & ]]>after &amp; more</b>').getText(), '<x> & after & more')
})
