export * from './origin-policy.ts'
