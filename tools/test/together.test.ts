import t from 'tap'
import { readFileSync } from 'node:fs'
import { disagreements, exclusionOf, GROUPS } from './together.ts'

const taprc = readFileSync(new URL('../../.taprc', import.meta.url), 'utf8')
const groupFiles = Object.keys(GROUPS).map((g) => `${g}.test.ts`)

t.test('the groups, .taprc and the group files agree as committed', async (t) => {
  t.same(disagreements(taprc, groupFiles), [])
})

t.test('a grouped folder .taprc does not exclude would run twice', async (t) => {
  const pattern = exclusionOf('reference/region')
  t.same(disagreements(taprc.replace(`  - "${pattern}"\n`, ''), groupFiles), [`${pattern} is grouped but not excluded in .taprc: its files would run twice`])
})

t.test('an exclusion no group makes up for would leave its files out of the suite', async (t) => {
  const stray = exclusionOf('reference/gateway')
  t.same(disagreements(taprc.replace('exclude:\n', `exclude:\n  - "${stray}"\n`), groupFiles), [`${stray} is excluded in .taprc but in no group: its files would never run`])
})

t.test('each group has its file, and each file its group', async (t) => {
  t.same(disagreements(taprc, [...groupFiles.filter((f) => f !== 'xmpp.test.ts'), 'stray.test.ts']), [
    'group xmpp has no tools/test/together/xmpp.test.ts',
    'tools/test/together/stray.test.ts names no group'
  ])
})
