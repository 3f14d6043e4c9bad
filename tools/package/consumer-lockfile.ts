// The lockfile of a project that depends on the packed tarball and nothing else, made from our
// own package-lock.json: the same versions of our runtime dependencies, each with its registry
// tarball URL and integrity. With it `npm ci --offline` installs from the npm cache alone — the
// cache `npm ci` filled holds those tarballs, but not the registry's package documents that an
// install without a lockfile (`npm install --offline <tarball>`) needs to resolve version ranges.
type LockEntry = { version?: string, resolved?: string, integrity?: string, dev?: boolean, devOptional?: boolean, link?: boolean, [key: string]: unknown }
export type Lockfile = { name: string, version?: string, lockfileVersion: number, requires?: boolean, packages: Record<string, LockEntry> }
type Manifest = { name: string, version: string, dependencies?: Record<string, string>, bin?: Record<string, string>, engines?: Record<string, string>, license?: string }

const REGISTRY = 'https://registry.npmjs.org/'

/** npm's own tarball address for a registry package: `@scope/name` → `@scope/name/-/name-1.2.3.tgz`. */
export function registryTarball (name: string, version: string): string {
  return `${REGISTRY}${name}/-/${name.split('/').pop()!}-${version}.tgz`
}

/** The package's name from its place in the tree: `node_modules/a/node_modules/@s/b` → `@s/b`. */
function nameAt (path: string): string {
  return path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length)
}

/**
 * `ours`: our package-lock.json; `manifest`: our package.json; `tarball`: the spec the project
 * depends on (`file:../gridim-0.1.0.tgz`) and its integrity.
 */
export function consumerLockfile (ours: Lockfile, manifest: Manifest, tarball: { spec: string, integrity: string }, project = 'consumer'): Lockfile {
  const packages: Record<string, LockEntry> = {
    '': { name: project, version: '1.0.0', dependencies: { [manifest.name]: tarball.spec } },
    [`node_modules/${manifest.name}`]: {
      version: manifest.version,
      resolved: tarball.spec,
      integrity: tarball.integrity,
      license: manifest.license,
      dependencies: manifest.dependencies,
      bin: manifest.bin,
      engines: manifest.engines
    }
  }
  // npm marks what only the devDependencies need (dev, devOptional); the rest is what users get.
  for (const [path, entry] of Object.entries(ours.packages)) {
    if (path === '' || entry.dev === true || entry.devOptional === true || entry.link === true) continue
    packages[path] = { ...entry, resolved: entry.resolved ?? registryTarball(nameAt(path), entry.version!) }
  }
  return { name: project, version: '1.0.0', lockfileVersion: 3, requires: true, packages }
}
