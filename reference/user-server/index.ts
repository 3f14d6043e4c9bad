export { createUserServer } from './create-user-server.ts'
export type { UserServer, UserServerOptions } from './create-user-server.ts'
export type { Peer } from './notices/courier.ts'
export { Metrics } from './metrics.ts'
