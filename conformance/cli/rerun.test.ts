// A failure's re-run line repeats what chose the target (issue 14): pasted, it replays the flow
// against the same target, not the embedded reference grid.
import { resolve } from 'node:path'
import t from 'tap'
import { rerunCommand } from '../report/requirement-text.ts'
import { rerunSelectors } from './rerun.ts'

t.test('the selectors are the target, XMPP choice, expectations and a non-default timeout, files made absolute', async (t) => {
  t.same(rerunSelectors({}), [])
  t.same(rerunSelectors({ timeout: '15000' }), [], 'the default timeout is not repeated')
  t.same(rerunSelectors({ target: 'my-region.yaml', expectations: 'known.yaml', timeout: '5000' }),
    ['--target', resolve('my-region.yaml'), '--expectations', resolve('known.yaml'), '--timeout', '5000'])
  t.same(rerunSelectors({ xmpp: 'simulated' }), ['--xmpp', 'simulated'])
})

t.test('the command quotes only the words a shell would split or expand', async (t) => {
  t.equal(rerunCommand('x-flow'), 'npx gridim-conformance --flow x-flow')
  t.equal(rerunCommand('x-flow', ['--target', '/tmp/my dir/it\'s.yaml', '--xmpp', 'none']),
    `npx gridim-conformance --target '/tmp/my dir/it'\\''s.yaml' --xmpp none --flow x-flow`)
})
