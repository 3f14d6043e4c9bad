import t from 'tap'
import { parseChapter } from './requirements.ts'

t.test('a bold id opens a requirement whose level is its strongest keyword', async (t) => {
  const { requirements, problems } = parseChapter('x.md', [
    '# Title', '',
    '**GRIDIM-IM-1** A region MUST deliver', 'the message.', '',
    '**GRIDIM-IM-2** A region SHOULD cache.', '',
    '**GRIDIM-IM-3** A region MAY log; it MUST NOT log bodies.', '',
    '**GRIDIM-IM-4** A region OPTIONAL thing.'
  ].join('\n'))
  t.same(problems, [])
  t.same(requirements.map((r) => [r.id, r.level, r.line]), [
    ['GRIDIM-IM-1', 'must', 3], ['GRIDIM-IM-2', 'should', 6], ['GRIDIM-IM-3', 'must', 8], ['GRIDIM-IM-4', 'may', 10]])
  t.equal(requirements[0]!.text, 'A region MUST deliver the message.')
})

t.test('a keyword outside a requirement is a problem, unless quoted or in code', async (t) => {
  const { problems } = parseChapter('x.md', [
    'The key words "MUST", "SHOULD" and "MAY" are to be interpreted as in BCP 14.', '',
    'Use `MUST` in code.', '',
    '```', 'A MUST in a code block', '```', '',
    'Regions MUST do this but no id.'
  ].join('\n'))
  t.equal(problems.length, 1)
  t.match(problems[0]!.message, /outside a requirement/)
})

t.test('a requirement without a keyword is a problem', async (t) => {
  const { problems } = parseChapter('x.md', '**GRIDIM-IM-9** Regions deliver messages.')
  t.match(problems[0]!.message, /GRIDIM-IM-9 has no RFC 2119 keyword/)
})
