export * from './codes.ts'
export * from './gridim-error.ts'
