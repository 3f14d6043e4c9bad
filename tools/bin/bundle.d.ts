// The types of bundle.js (plain JavaScript: the launchers load it before any TypeScript can be).
/** The URL of a cached bundle of the repository's `.ts` file `entry`, or undefined where none is to be used. */
export function bundled (entry: URL): Promise<URL | undefined>
