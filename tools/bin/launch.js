// Starts one of the package's commands from whichever layout it is in. In the package (dist/,
// what `npm pack` ships) the sources beside this file are compiled JavaScript and run as they
// are; in the repository they are TypeScript: bundled into one cached module (bundle.js), or run
// through tsx (a devDependency) where no bundle is to be used.
import { existsSync } from 'node:fs'
import { bundled } from './bundle.js'

/** `entry`: the module's URL without its extension, e.g. `new URL('../../x/main', import.meta.url)`. */
export async function launch (entry) {
  const compiled = new URL(`${entry.href}.js`)
  if (existsSync(compiled)) return import(compiled.href)
  const source = new URL(`${entry.href}.ts`)
  const bundle = await bundled(source)
  if (bundle !== undefined) {
    // Stack traces name the sources' files and lines (the bundle carries their map), as under tsx.
    process.setSourceMapsEnabled(true)
    return import(bundle.href)
  }
  const { register } = await import('tsx/esm/api')
  register()
  return import(source.href)
}
