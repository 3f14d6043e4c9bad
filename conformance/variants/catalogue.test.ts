// Every deliberate fault is in the catalogue, once, so none is left unproved by a broken variant.
import { readFileSync } from 'node:fs'
import t from 'tap'
import { provedElsewhere, variants } from './catalogue.ts'
import { selected } from './check-variants.ts'

const faultsSource = readFileSync(new URL('../../reference/lib/faults.ts', import.meta.url), 'utf8')
const declared = [...faultsSource.matchAll(/^\s*\| '([a-z0-9-]+)'$/gm)].map((m) => m[1])

t.test('every fault of reference/lib/faults.ts has exactly one broken variant, or says where it is proved', async (t) => {
  t.ok(declared.length >= 30, `faults.ts declares ${declared.length} faults`)
  t.same([...variants.map((v) => v.fault), ...Object.keys(provedElsewhere)].sort(), [...declared].sort())
})

t.test('every area has a test file that runs it, and at least one variant', async (t) => {
  for (const area of ['grid', 'security', 'xmpp'] as const) t.ok(variants.some((v) => v.area === area), area)
  // An area without its file would leave its faults listed but never run.
  for (const area of new Set(variants.map((v) => v.area))) {
    const file = new URL(`./broken-variants${area === 'grid' ? '' : `-${area}`}.test.ts`, import.meta.url)
    t.match(readFileSync(file, 'utf8'), `checkVariants(t, '${area}')`, `${area}: ${file.pathname.split('/').pop()}`)
  }
})

t.test('GRIDIM_VARIANTS picks variants by fault name; unset or empty, it picks the whole area', async (t) => {
  t.same(selected('security', undefined).length, variants.filter((v) => v.area === 'security').length)
  t.same(selected('security', ' ').length, variants.filter((v) => v.area === 'security').length)
  t.same(selected('security', 'region-reuses-nonces, bearer-matched-by-prefix').map((v) => v.fault), ['region-reuses-nonces', 'bearer-matched-by-prefix'])
  t.same(selected('grid', 'region-reuses-nonces'), [], 'a fault of another area is not run here')
})
