export * from './create-gateway.ts'
export * from './addresses.ts'
export * from './hosted-users.ts'
