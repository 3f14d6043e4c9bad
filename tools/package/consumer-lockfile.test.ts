// The lockfile the pack test gives its project: our runtime dependencies only, each with the
// registry tarball URL npm caches it under.
import t from 'tap'
import { consumerLockfile, registryTarball, type Lockfile } from './consumer-lockfile.ts'

t.test('a registry tarball URL keeps the scope in the path and drops it from the file name', async (t) => {
  t.equal(registryTarball('yaml', '2.9.1'), 'https://registry.npmjs.org/yaml/-/yaml-2.9.1.tgz')
  t.equal(registryTarball('@hapi/hapi', '21.4.10'), 'https://registry.npmjs.org/@hapi/hapi/-/hapi-21.4.10.tgz')
})

t.test('the project gets our runtime dependencies, nested ones where they were, and none of the dev ones', async (t) => {
  const ours: Lockfile = {
    name: 'gridim',
    lockfileVersion: 3,
    packages: {
      '': { name: 'gridim' },
      'node_modules/yaml': { version: '2.9.1', integrity: 'sha512-y' },
      'node_modules/@xmpp/client/node_modules/@xmpp/jid': { version: '0.14.0', integrity: 'sha512-j' },
      'node_modules/already': { version: '1.0.0', resolved: 'https://example.org/already-1.0.0.tgz' },
      'node_modules/tap': { version: '21.8.0', dev: true },
      'node_modules/fsevents': { version: '2.3.3', devOptional: true },
      'node_modules/@converse/log': { resolved: 'node_modules/converse.js/src/log', link: true }
    }
  }
  const manifest = { name: 'gridim', version: '0.1.0', license: 'Apache-2.0', dependencies: { yaml: '2.9.1' }, bin: { 'gridim-conformance': 'dist/tools/bin/gridim-conformance.js' } }
  const lock = consumerLockfile(ours, manifest, { spec: 'file:../gridim-0.1.0.tgz', integrity: 'sha512-g' })
  t.same(Object.keys(lock.packages), ['', 'node_modules/gridim', 'node_modules/yaml', 'node_modules/@xmpp/client/node_modules/@xmpp/jid', 'node_modules/already'])
  t.same(lock.packages['']!.dependencies, { gridim: 'file:../gridim-0.1.0.tgz' })
  t.match(lock.packages['node_modules/gridim'], { version: '0.1.0', resolved: 'file:../gridim-0.1.0.tgz', integrity: 'sha512-g', dependencies: { yaml: '2.9.1' }, bin: manifest.bin })
  t.equal(lock.packages['node_modules/yaml']!.resolved, 'https://registry.npmjs.org/yaml/-/yaml-2.9.1.tgz')
  t.equal(lock.packages['node_modules/@xmpp/client/node_modules/@xmpp/jid']!.resolved, 'https://registry.npmjs.org/@xmpp/jid/-/jid-0.14.0.tgz')
  t.equal(lock.packages['node_modules/already']!.resolved, 'https://example.org/already-1.0.0.tgz', 'a URL already there is kept')
})
