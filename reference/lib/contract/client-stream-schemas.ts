// The client stream's frame schemas (openapi/client-stream/frames.ts) made self-contained:
// the TypeBox sources refer to OpenAPI components by relative path, which does not resolve
// against a frame's URN `$id`; bundled, each frame carries the components it uses in `$defs`.
// tools/generate emits these; the region (and any client) validates frames with them, their Ajv
// validators kept between processes (validator-cache.ts).
import { clientStreamFrames } from '../../../openapi/client-stream/frames.ts'
import { loadDocument } from './load-openapi.ts'

/**
 * OpenAPI 3.1 annotations that plain JSON Schema 2020-12 does not know: dropped from what is
 * copied, so a strict validator compiles the emitted file without OpenAPI's vocabulary
 * (`discriminator` only names which branch of a oneOf applies; the oneOf still decides).
 */
const OPENAPI_ONLY = new Set(['discriminator', 'xml', 'externalDocs', 'example'])

/**
 * A frame schema made self-contained: every `$ref` into openapi/components (relative paths,
 * which do not resolve against the frame's URN `$id`) becomes `#/$defs/<Name>`, and each named
 * component — with those it refers to, transitively — is copied into `$defs` from the client
 * contract as load-openapi bundles it (client and common components, one namespace).
 */
export function bundleFrame (schema: object, components = loadDocument('client').components?.schemas ?? {}): object {
  const defs: Record<string, unknown> = {}
  const adopt = (name: string): string => {
    if (!(name in defs)) {
      const component = components[name]
      if (component === undefined) throw new Error(`client stream frames: no component schema ${name} in openapi/client.yaml's bundle`)
      defs[name] = null // claimed before walking, so a recursive component ends
      defs[name] = walk(component)
    }
    return `#/$defs/${name}`
  }
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk)
    if (node === null || typeof node !== 'object') return node
    const out: Record<string, unknown> = {}
    for (const [key, value] of Object.entries(node)) {
      if (OPENAPI_ONLY.has(key)) continue
      if (key === '$ref' && typeof value === 'string') {
        const name = /#\/components\/schemas\/([^/]+)$/.exec(value)?.[1]
        if (name === undefined) throw new Error(`client stream frames: unsupported $ref ${value}`)
        out[key] = adopt(name)
      } else {
        out[key] = walk(value)
      }
    }
    return out
  }
  const root = walk(JSON.parse(JSON.stringify(schema))) as Record<string, unknown>
  return Object.keys(defs).length === 0 ? root : { ...root, $defs: Object.fromEntries(Object.entries(defs).sort(([a], [b]) => a.localeCompare(b))) }
}


export type FrameName = keyof typeof clientStreamFrames

let bundled: Record<FrameName, object> | undefined

/** Every frame schema, bundled (once per process). */
export function clientStreamSchemas (): Record<FrameName, object> {
  bundled ??= Object.fromEntries(Object.entries(clientStreamFrames).map(([name, schema]) => [name, bundleFrame(schema)])) as Record<FrameName, object>
  return bundled
}
