// The contract's types, as the code uses them: every shape on the wire comes from the types
// `npm run generate` writes from the OpenAPI documents (openapi/generated/types/), never from a
// hand-written copy. A schema that changes under the code fails `npm run typecheck`.
import type { components as AdminComponents, operations as AdminOperations } from '../../../openapi/generated/types/admin.ts'
import type { components as ClientComponents, operations as ClientOperations } from '../../../openapi/generated/types/client.ts'
import type { components as GatewayComponents, operations as GatewayOperations } from '../../../openapi/generated/types/gateway.ts'
import type { components as RegionComponents, operations as RegionOperations } from '../../../openapi/generated/types/region.ts'
import type { components as UserServerComponents, operations as UserServerOperations } from '../../../openapi/generated/types/user-server.ts'

/** operationId → operation, per OpenAPI document. */
export type DocumentOperations = {
  'user-server': UserServerOperations
  region: RegionOperations
  client: ClientOperations
  admin: AdminOperations
  gateway: GatewayOperations
}

/** Every operation of every document, by operationId (operationIds are unique across GridIM). */
export type AllOperations = UserServerOperations & RegionOperations & ClientOperations & AdminOperations & GatewayOperations
export type OperationId = keyof AllOperations & string

/** The named schemas of each document (`components.schemas`). */
export type UserServerSchemas = UserServerComponents['schemas']
export type RegionSchemas = RegionComponents['schemas']
export type ClientSchemas = ClientComponents['schemas']
export type AdminSchemas = AdminComponents['schemas']
export type GatewaySchemas = GatewayComponents['schemas']

/** A schema by name, from whichever document defines it (common.yaml's are in several: all agree). */
export type Schema<N extends string> =
  N extends keyof UserServerSchemas ? UserServerSchemas[N]
    : N extends keyof RegionSchemas ? RegionSchemas[N]
      : N extends keyof ClientSchemas ? ClientSchemas[N]
        : N extends keyof AdminSchemas ? AdminSchemas[N]
          : N extends keyof GatewaySchemas ? GatewaySchemas[N]
            : never

type JsonOf<C> = C extends { 'application/json': infer T } ? T
  : C extends { 'application/problem+json': infer T } ? T
    : C extends { [type: string]: infer T } ? T
      : never

/** The JSON body an operation takes (`undefined` for an operation without one). */
export type RequestBody<Op> =
  Op extends { requestBody: { content: infer C } } ? JsonOf<C>
    : Op extends { requestBody?: { content: infer C } } ? JsonOf<C> | undefined
      : undefined

type Params<Op, Where extends 'path' | 'query' | 'header'> =
  Op extends { parameters: { [W in Where]: infer P } } ? ([P] extends [never] ? Record<never, never> : P)
    : Op extends { parameters: { [W in Where]?: infer P } } ? ([P] extends [never | undefined] ? Record<never, never> : NonNullable<P>)
      : Record<never, never>

export type PathParams<Op> = Params<Op, 'path'>
export type QueryParams<Op> = Params<Op, 'query'>
export type HeaderParams<Op> = Params<Op, 'header'>

type Responses<Op> = Op extends { responses: infer R } ? R : never

/** The statuses an operation's contract lists (not `default`). */
export type Status<Op> = Extract<keyof Responses<Op>, number>
/** The statuses that mean success. */
export type SuccessStatus<Op> = Extract<Status<Op>, 200 | 201 | 202 | 203 | 204 | 206>

/** The body of one response (`undefined` when the contract gives it none). */
export type ResponseBody<Op, S extends keyof Responses<Op>> =
  Responses<Op>[S] extends { content: infer C } ? ([C] extends [undefined] ? undefined : JsonOf<C>)
    : undefined

/** Any successful answer: its status and body, discriminated by the status. */
export type SuccessResponse<Op> = { [S in SuccessStatus<Op>]: { status: S, body: ResponseBody<Op, S> } }[SuccessStatus<Op>]
/** The body of the operation's successful answer(s). */
export type SuccessBody<Op> = SuccessResponse<Op>['body']

// The shapes the code names most, each the contract's own schema under its own name.
export type InstantMessage = Schema<'InstantMessage'>
export type Friend = Schema<'Friend'>
export type ChatState = Schema<'ChatState'>
export type ChatStateValue = Schema<'ChatStateValue'>
/** A notice from the user server (deliverNotices), discriminated by `type`. */
export type Notice = Schema<'Notice'>
/** A notice without its envelope (`noticeId`, `toUserId`), as the user server composes it. */
export type NoticeContent = Notice extends infer N ? (N extends unknown ? Omit<N, 'noticeId' | 'toUserId'> : never) : never
export type GroupMessageDelivery = Schema<'GroupMessageDelivery'>
export type UserLocation = Schema<'UserLocation'>
export type GroupSession = Schema<'GroupSession'>
/** A group session as a client is told it: without `regions` (GRIDIM-PRES-5). */
export type ClientGroupSession = Schema<'ClientGroupSession'>
export type GroupMember = Schema<'GroupMember'>
export type RegionKind = Schema<'RegionKind'>
export type ProblemCode = Schema<'ProblemCode'>
/** One event of a client's event log (clientListEvents), discriminated by `type`. */
export type ClientEvent = Schema<'ClientEvent'>
