export * from './framing.ts'
export * from './connection.ts'
export * from './plugin.ts'
