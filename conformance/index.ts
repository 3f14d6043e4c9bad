// The package's library entry (`import … from 'gridim'`): the conformance runner, its reporters,
// the typed clients and the contract types. Only re-exports; the README's "Use GridIM from your
// own project" shows them in use. The generated types per document, the JSON Schemas, the
// OpenAPI documents and the requirement index are subpaths of their own (package.json exports).
export { runConformance, type ConformanceOptions, type ConformanceTarget } from './runner/run-conformance.ts'
export type { ExpectedFailure, SuiteOptions } from './runner/run-suite.ts'
export { countByStatus, messagesValidated, runPassed, type Check, type CheckStatus, type FlowResult, type RunResult, type TraceEntry } from './runner/results.ts'
export type { GatewayEndpoint, JabberAccount, JabberRosterItem, JabberServerEndpoint, RegionEndpoint, Target } from './target/target.ts'
export type { EmbeddedOptions, XmppChoice } from './target/embedded.ts'
export { loadFlows, type LoadedFlow } from '../tools/spec/flows.ts'
export type { Flow } from '../spec/flows/schema.ts'
export { toHtml } from './report/html.ts'
export { toJson } from './report/json.ts'
export { toJunit } from './report/junit.ts'
export { toTap } from './report/tap.ts'
export { roleTable, roleTableText, type Cell, type RoleTable } from './report/role-table.ts'
export type { Attribution, PlayedBy, RoleLabel } from './runner/attribution.ts'

export { ClientSession, CLIENT_INTERFACES, type ClientInterface, type ClientOperationId, type SessionOptions } from './lib/client-session.ts'
export { ClientStream, HandshakeRefused, type FrameRecord, type FrameViolation, type StreamOptions } from './lib/client-stream.ts'
export { PeerClient, type CallOptions, type CallOptionsFor, type CallResult, type CallResultFor, type PeerClientOptions } from '../reference/lib/http/peer-client.ts'
export type * from '../reference/lib/contract/types.ts'
export { DOCUMENTS, loadDocument, type DocumentName, type OpenApiDocument } from '../reference/lib/contract/load-openapi.ts'
