// The client stream (spec chapter 10, "The client stream"): one WebSocket on the client interface
// carrying what clientSendInstantMessage, clientSendChatState and the event log carry over HTTP,
// with the same ids, cursors, de-duplication and outcomes. Each frame is one text message holding
// one JSON object; `type` tells them apart. These TypeBox schemas are the single source of truth:
// tools/generate emits each entry of `clientStreamFrames` as a JSON Schema file under
// openapi/generated/client-stream/, each bundled with the OpenAPI components it reuses in `$defs`
// (reference/lib/contract/client-stream-schemas.ts).
import { Type, type Static, type TSchema } from '@sinclair/typebox'
import type { components as Client } from '../generated/types/client.ts'

type ClientSchemas = Client['schemas']

/** A component of openapi/components/<file>.yaml, typed from the generated OpenAPI types. */
const component = <N extends keyof ClientSchemas>(file: 'client' | 'common', name: N): TSchema & { static: ClientSchemas[N] } =>
  Type.Unsafe<ClientSchemas[N]>({ $ref: `../../components/${file}.yaml#/components/schemas/${name}` })

const EventCursor = component('common', 'EventCursor')
const ClientEvent = component('common', 'ClientEvent')
const Problem = component('common', 'Problem')
const SendInstantMessageRequest = component('client', 'SendInstantMessageRequest')
const SendChatStateRequest = component('client', 'SendChatStateRequest')
const SendInstantMessageResponse = component('client', 'SendInstantMessageResponse')

/** The client's name for one request frame; its answer carries it back. */
export const FrameRef = Type.String({ pattern: '^[A-Za-z0-9._~-]{1,64}$', description: 'Chosen by the client, echoed in the answer to this request.' })

// --- client → region ---

/** The first frame, and only the first: authenticates the stream and says where its events start. */
export const HelloFrame = Type.Object({
  type: Type.Literal('hello'),
  sessionSecret: Type.String({ minLength: 1, maxLength: 256, description: 'The sessionSecret from clientLogin.' }),
  after: Type.Optional(EventCursor)
}, { $id: 'urn:gridim:client-stream:hello', additionalProperties: false, description: 'Like clientStreamEvents with Last-Event-ID = after: events after it, or all retained events without it.' })

export const SendInstantMessageFrame = Type.Object({
  type: Type.Literal('sendInstantMessage'),
  ref: FrameRef,
  message: SendInstantMessageRequest
}, { $id: 'urn:gridim:client-stream:send-instant-message', additionalProperties: false, description: 'clientSendInstantMessage; answered by one result or problem frame with the same ref.' })

export const SendChatStateFrame = Type.Object({
  type: Type.Literal('sendChatState'),
  ref: FrameRef,
  chatState: SendChatStateRequest
}, { $id: 'urn:gridim:client-stream:send-chat-state', additionalProperties: false, description: 'clientSendChatState; answered by one result frame (no result member) or problem frame with the same ref.' })

export const AckFrame = Type.Object({
  type: Type.Literal('ack'),
  cursor: EventCursor
}, { $id: 'urn:gridim:client-stream:ack', additionalProperties: false, description: 'Acknowledges the events up to cursor, as clientListEvents with after = cursor does (GRIDIM-CLI-10). Not answered.' })

// --- region → client ---

export const ReadyFrame = Type.Object({
  type: Type.Literal('ready'),
  userId: Type.String({ format: 'uuid' }),
  keepAliveSeconds: Type.Integer({ minimum: 1, description: 'The grid keepAliveSeconds: the region pings at least this often.' })
}, { $id: 'urn:gridim:client-stream:ready', additionalProperties: false, description: 'The answer to hello; event frames follow.' })

export const EventFrame = Type.Object({
  type: Type.Literal('event'),
  event: ClientEvent
}, { $id: 'urn:gridim:client-stream:event', additionalProperties: false, description: 'One event of the session log, in log order; event.id is its cursor.' })

export const ResultFrame = Type.Object({
  type: Type.Literal('result'),
  ref: FrameRef,
  result: Type.Optional(SendInstantMessageResponse)
}, { $id: 'urn:gridim:client-stream:result', additionalProperties: false, description: 'The success answer to a request frame: the SendInstantMessageResponse for sendInstantMessage, nothing for sendChatState.' })

export const ProblemFrame = Type.Object({
  type: Type.Literal('problem'),
  ref: Type.Optional(FrameRef),
  problem: Problem
}, { $id: 'urn:gridim:client-stream:problem', additionalProperties: false, description: 'The error answer to a request frame (with its ref), or, without ref, why the region is about to close the stream.' })

/** Name → schema; each schema's $id is `urn:gridim:client-stream:<name>`. */
export const clientStreamFrames = {
  hello: HelloFrame,
  'send-instant-message': SendInstantMessageFrame,
  'send-chat-state': SendChatStateFrame,
  ack: AckFrame,
  ready: ReadyFrame,
  event: EventFrame,
  result: ResultFrame,
  problem: ProblemFrame
} as const

export type HelloFrame = Static<typeof HelloFrame>
export type SendInstantMessageFrame = Static<typeof SendInstantMessageFrame>
export type SendChatStateFrame = Static<typeof SendChatStateFrame>
export type AckFrame = Static<typeof AckFrame>
export type ReadyFrame = Static<typeof ReadyFrame>
export type EventFrame = Static<typeof EventFrame>
export type ResultFrame = Static<typeof ResultFrame>
export type ProblemFrame = Static<typeof ProblemFrame>

/** What a client sends. */
export type ClientFrame = HelloFrame | SendInstantMessageFrame | SendChatStateFrame | AckFrame
/** What a region sends. */
export type RegionFrame = ReadyFrame | EventFrame | ResultFrame | ProblemFrame

/** The WebSocket subprotocol (RFC 6455 §1.9) a client offers and the region selects. */
export const CLIENT_STREAM_PROTOCOL = 'gridim.client.v1'
/** The path of the client stream on a region's client interface. */
export const CLIENT_STREAM_PATH = '/client/stream'
