// The README's interop table is rendered from the results files only (issue 12).
import t from 'tap'
import { generateInteropTable, renderTable, withTable, START, END } from './interop-table.ts'

const file = (client: string, via: string, transport: string, features: Record<string, string>) => JSON.stringify({ client, via, transport, features })

t.test('one column per client × via × transport, one row per feature used, in vocabulary order', async (t) => {
  const root = t.testdir({
    reference: {
      gateway: {
        'README.md': `# x\n\nbefore\n${START}\nstale table\n${END}\nafter\n`,
        interop: {
          'b.json': file('slixmpp 1.8.3', 'Prosody 0.12', 'c2s', { 'chat states': 'fails', login: 'works' }),
          'a.json': file('Converse.js 14', 'gateway', 'BOSH', { login: 'works', roster: 'not tested' }),
          'notes.txt': 'ignored'
        }
      }
    }
  })
  const [out] = generateInteropTable(root)
  t.equal(out!.path, 'reference/gateway/README.md')
  t.match(out!.content, /^# x\n\nbefore\n<!-- interop-table:start -->\n<!-- GENERATED/)
  t.notMatch(out!.content, /stale table/)
  t.match(out!.content, /\| feature \| Converse.js 14<br>gateway<br>BOSH \| slixmpp 1.8.3<br>Prosody 0.12<br>c2s \|\n\|---\|---\|---\|\n\| login \| works \| works \|\n\| roster \| — \| — \|\n\| chat states \| — \| \*\*fails\*\* \|\n<!-- interop-table:end -->\nafter\n$/)
})

t.test('no results, missing markers, a bad results file', async (t) => {
  t.equal(renderTable([]), '_No interop results yet._\n')
  t.throws(() => withTable('# no markers\n', 'x'), /needs the markers/)
  t.throws(() => withTable(`${END}\n${START}\n`, 'x'), /in that order/)
  const root = t.testdir({ reference: { gateway: { 'README.md': `${START}\n${END}\n`, interop: { 'x.json': file('c', 'v', 'c2s', { flying: 'works' }) } } } })
  t.throws(() => generateInteropTable(root), /interop\/x.json: unknown feature "flying"/)
})
