// One Ajv for every contract: JSON Schema 2020-12 (OpenAPI 3.1's dialect), formats, and
// OpenAPI's own annotation keywords registered as a vocabulary so strict mode stays on.
import Ajv2020 from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'

/** OpenAPI 3.1 §4.8.24: keywords the Schema Object adds to JSON Schema; annotations only. */
export const OPENAPI_VOCABULARY = ['discriminator', 'xml', 'externalDocs', 'example'] as const

export type Ajv = InstanceType<typeof Ajv2020.default>

export function createAjv (): Ajv {
  const ajv = new Ajv2020.default({ strict: true, allErrors: true, allowUnionTypes: true })
  addFormats.default(ajv)
  ajv.addVocabulary([...OPENAPI_VOCABULARY])
  return ajv
}
