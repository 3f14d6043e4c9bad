// Checks one frame a region sends on the client stream against the frame schemas
// (openapi/client-stream/frames.ts, emitted as openapi/generated/client-stream/*.schema.json), as
// validate-message.ts checks an HTTP answer against the OpenAPI documents: the schemas as
// published, each bundled with the client components it reuses, so an event in a frame is read
// exactly as one in a clientListEvents page.
import type { ValidateFunction } from 'ajv'
import type { RegionFrame } from '../../openapi/client-stream/frames.ts'
import { cachedSelfContained } from '../../reference/lib/contract/validator-cache.ts'
import { clientStreamSchemas } from '../../reference/lib/contract/client-stream-schemas.ts'

/** What a region sends, by `type`, and the schema file of each (for a failure's message). */
export const REGION_FRAMES = { ready: 'ready', event: 'event', result: 'result', problem: 'problem' } as const
export type RegionFrameType = keyof typeof REGION_FRAMES

/** A frame that breaks the schemas, said as validate-message.ts says a message's problems. */
export type FrameProblem = { pointer: string, message: string }

const validators = new Map<RegionFrameType, ValidateFunction>()

function validatorOf (type: RegionFrameType): ValidateFunction {
  let validate = validators.get(type)
  if (validate === undefined) {
    validate = cachedSelfContained(clientStreamSchemas()[REGION_FRAMES[type]])
    validators.set(type, validate)
  }
  return validate
}

function isRegionFrameType (type: unknown): type is RegionFrameType {
  return typeof type === 'string' && Object.hasOwn(REGION_FRAMES, type)
}

/** The schema file a frame type is judged against, as a failure names it. */
export function frameSchemaFile (type: string): string {
  return isRegionFrameType(type) ? `openapi/generated/client-stream/${REGION_FRAMES[type]}.schema.json` : 'openapi/client-stream/frames.ts'
}

/**
 * One text message from the region: the frame when it is JSON and conforms to the schema its
 * `type` names, else the problems (a binary message, text that is not JSON, a type no region
 * frame has, a member the schema forbids or lacks).
 */
export function readRegionFrame (data: string | Buffer, isBinary = false): { frame?: RegionFrame, type?: string, problems: FrameProblem[] } {
  if (isBinary) return { problems: [{ pointer: '', message: 'a binary message; every frame is one text message holding one JSON object' }] }
  let value: unknown
  try {
    value = JSON.parse(data.toString())
  } catch {
    return { problems: [{ pointer: '', message: `not JSON: ${shown(data.toString())}` }] }
  }
  const type = (value as { type?: unknown } | null)?.type
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { problems: [{ pointer: '', message: `not a JSON object: ${shown(data.toString())}` }] }
  if (!isRegionFrameType(type)) return { problems: [{ pointer: '/type', message: `${JSON.stringify(type)} is no frame a region sends (ready, event, result, problem)` }] }
  const validate = validatorOf(type)
  if (validate(value)) return { frame: value as RegionFrame, type, problems: [] }
  return {
    type,
    problems: (validate.errors ?? []).slice(0, 5).map((e) => ({
      pointer: e.instancePath,
      message: `${e.message ?? e.keyword} (${e.keyword})` + (e.params !== undefined && 'additionalProperty' in e.params ? `: ${String(e.params.additionalProperty)}` : '')
    }))
  }
}

function shown (text: string): string {
  return text.length > 60 ? `${JSON.stringify(text.slice(0, 57))}...` : JSON.stringify(text)
}
