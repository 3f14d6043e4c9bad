// GRIDIM contract: every example in every OpenAPI document validates against its own schema,
// and every operation has an operationId, error responses and examples.
import t from 'tap'
import { DOCUMENTS, loadDocument } from './load-openapi.ts'
import { compileSchema, allOperations } from './operations.ts'

function examplesOf (media: any, deref: (node: any) => any): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = Object.entries(media?.examples ?? {}).map(([name, ex]: [string, any]) => [name, deref(ex).value])
  if (media && 'example' in media) out.push(['example', media.example])
  return out
}

for (const name of DOCUMENTS) {
  t.test(`${name}: every example validates against its schema`, async (t) => {
    const doc = loadDocument(name)
    let count = 0
    const deref = (node: any): any => node?.$ref ? node.$ref.slice(2).split('/').reduce((a: any, k: string) => a?.[k], doc) : node
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        if (typeof op !== 'object' || !op?.operationId) continue
        const media: Array<[string, any]> = []
        for (const [type, m] of Object.entries(deref(op.requestBody)?.content ?? {})) media.push([`${op.operationId} request ${type}`, m])
        for (const [status, r] of Object.entries(op.responses ?? {})) {
          for (const [type, m] of Object.entries(deref(r)?.content ?? {})) media.push([`${op.operationId} ${status} ${type}`, m])
        }
        for (const [where, m] of media) {
          if (!String(where).includes('json') || !m.schema) continue
          const validate = compileSchema(name, m.schema)
          for (const [exName, value] of examplesOf(m, deref)) {
            count++
            t.ok(validate(value), `${method.toUpperCase()} ${path} ${where} example ${exName}`, { errors: validate.errors })
          }
        }
      }
    }
    t.ok(count > 0, `${name} has examples`)
  })
}

t.test('every operation has a unique operationId, and error responses', async (t) => {
  const seen = new Set<string>()
  for (const name of DOCUMENTS) {
    const doc = loadDocument(name)
    for (const item of Object.values(doc.paths)) {
      for (const op of Object.values(item) as any[]) {
        if (typeof op !== 'object' || !op?.responses) continue
        t.ok(op.operationId, 'has an operationId')
        t.notOk(seen.has(op.operationId) && name !== 'gateway', `${op.operationId} is unique`)
        seen.add(op.operationId)
        t.ok(Object.keys(op.responses).some((s) => /^[45]/.test(s)), `${op.operationId} documents an error response`)
      }
    }
  }
  t.ok(allOperations().size >= 40, 'the sketch has at least 40 operations')
})
