// The client stream's frames as the region reads them (spec chapter 10, "The client stream"):
// each text message is one JSON object, checked against the frame schemas of
// openapi/client-stream/frames.ts (their validators kept between processes). A frame that is not one of the
// client's becomes a GridImError, with the frame's `ref` when one could be read (GRIDIM-CLI-42).
import { FrameRef, type ClientFrame } from '../../openapi/client-stream/frames.ts'
import { cachedSelfContained } from '../lib/contract/validator-cache.ts'
import { clientStreamSchemas, type FrameName } from '../lib/contract/client-stream-schemas.ts'
import { GridImError } from '../lib/errors/index.ts'

/** GRIDIM-LIM-3 per frame: no frame's payload over 65,536 bytes is parsed (GRIDIM-CLI-42). */
export const MAX_FRAME_BYTES = 65_536

/** A frame's `type` → the name of its schema. */
const CLIENT_FRAMES: Record<ClientFrame['type'], FrameName> = {
  hello: 'hello',
  sendInstantMessage: 'send-instant-message',
  sendChatState: 'send-chat-state',
  ack: 'ack'
}

type Validate = ((data: unknown) => boolean) & { errors?: Array<{ instancePath: string, message?: string }> | null }
let validators: Map<string, Validate> | undefined

function validatorFor (type: string): Validate | undefined {
  if (validators === undefined) {
    const schemas = clientStreamSchemas()
    validators = new Map(Object.entries(CLIENT_FRAMES).map(([frameType, name]) => [frameType, cachedSelfContained(schemas[name]) as Validate]))
  }
  return validators.get(type)
}

const REF = new RegExp(FrameRef.pattern!)

export type ReadFrame = { frame: ClientFrame } | { error: GridImError, ref?: string }

/** One incoming WebSocket message as a client frame, or why it is not one. */
export function readClientFrame (data: Buffer, isBinary: boolean): ReadFrame {
  if (isBinary) return { error: new GridImError('invalid-request', 'client stream frames are text messages holding JSON') }
  if (data.length > MAX_FRAME_BYTES) return { error: new GridImError('body-too-large', `a frame is at most ${MAX_FRAME_BYTES} bytes; this one has ${data.length}`) }
  let value: unknown
  try {
    value = JSON.parse(data.toString('utf8'))
  } catch {
    return { error: new GridImError('invalid-request', 'the frame is not JSON') }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { error: new GridImError('invalid-request', 'a frame is a JSON object') }
  const { type, ref: rawRef } = value as { type?: unknown, ref?: unknown }
  const ref = typeof rawRef === 'string' && REF.test(rawRef) ? rawRef : undefined
  const validate = typeof type === 'string' && Object.hasOwn(CLIENT_FRAMES, type) ? validatorFor(type)! : undefined
  if (validate === undefined) return { error: new GridImError('invalid-request', `unknown frame type ${JSON.stringify(type)}; a client sends hello, ack, sendInstantMessage or sendChatState`), ref }
  if (!validate(value)) {
    const why = (validate.errors ?? []).map((e) => `${e.instancePath === '' ? 'frame' : e.instancePath} ${e.message ?? 'is invalid'}`).join('; ')
    return { error: new GridImError('invalid-request', `${type} frame: ${why}`.slice(0, 1000)), ref }
  }
  return { frame: value as ClientFrame }
}
