// One Ajv for every contract: JSON Schema 2020-12 (OpenAPI 3.1's dialect), formats, and
// OpenAPI's own annotation keywords registered as a vocabulary so strict mode stays on.
import Ajv2020, { _ } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'

/** OpenAPI 3.1 §4.8.24: keywords the Schema Object adds to JSON Schema; annotations only. */
export const OPENAPI_VOCABULARY = ['discriminator', 'xml', 'externalDocs', 'example'] as const

export type Ajv = InstanceType<typeof Ajv2020.default>

/**
 * `standalone`: the instance keeps each validator's code, formats included, so that it can be
 * written out and loaded by a later process (validator-cache.ts; a change here bumps its RECIPE).
 */
export function createAjv (options: { standalone?: boolean } = {}): Ajv {
  const ajv = new Ajv2020.default({
    strict: true,
    allErrors: true,
    allowUnionTypes: true,
    ...(options.standalone === true ? { code: { source: true, formats: _`require("ajv-formats/dist/formats").fullFormats` } } : {})
  })
  addFormats.default(ajv)
  ajv.addVocabulary([...OPENAPI_VOCABULARY])
  return ajv
}
