// TypeScript types for each OpenAPI document (openapi-typescript), from the bundled document so
// the output does not depend on how references are spread over files.
import openapiTS, { astToString } from 'openapi-typescript'
import { DOCUMENTS, loadDocument } from '../../reference/lib/contract/load-openapi.ts'
import { header, type Output } from './header.ts'

export async function generateTypes (): Promise<Output[]> {
  const out: Output[] = []
  for (const name of DOCUMENTS) {
    const ast = await openapiTS(structuredClone(loadDocument(name)) as any, { silent: true, alphabetize: true })
    out.push({
      path: `openapi/generated/types/${name}.ts`,
      content: header(`openapi/${name}.yaml`, '//') + '/* eslint-disable */\n' + astToString(ast)
    })
  }
  return out
}
