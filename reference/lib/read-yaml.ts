// YAML as the project reads it: the flows, the OpenAPI documents, target and expectations files.
// js-yaml with the YAML 1.2 core schema (plain scalars are strings, numbers, booleans and null;
// no timestamps or binaries): the same data as the `yaml` package's default, ~6× faster, which
// is seconds of a conformance run's start-up (120 flow files, 730 KB; the documents per thread).
import { CORE_SCHEMA, load } from 'js-yaml'

/** The data of one YAML document; a syntax error throws with its line and column. */
export function parseYaml (text: string, filename?: string): unknown {
  return load(text, { schema: CORE_SCHEMA, filename })
}
