// Checks one HTTP message against the OpenAPI document of its interface (GRIDIM-ROLE-9): a
// request's path and query parameters and body, a response's status, media type and body. The
// validators are the reference's own (reference/lib/contract: Ajv 2020 with the OpenAPI
// vocabulary, each compiled on first use), so the runner and the reference read the contract
// the same way.
import type { ErrorObject, ValidateFunction } from 'ajv'
import { allOperations, type Operation } from '../../reference/lib/contract/operations.ts'
import type { DocumentName } from '../../reference/lib/contract/load-openapi.ts'

export type Direction = 'request' | 'response'

export type Message =
  | { direction: 'request', operationId: string, url: string, body?: unknown }
  | { direction: 'response', operationId: string, status: number, body?: unknown, contentType?: string }

/** One way a message departs from the contract, with the requirement it breaks. */
export type Problem = {
  /** JSON Pointer (RFC 6901) into the body, or `?name` / `{name}` for a parameter; '' is the whole body. */
  pointer: string
  message: string
  /** The requirements the departure breaks. */
  requirements: string[]
}

export type Violation = {
  operationId: string
  document: DocumentName
  direction: Direction
  status?: number
  problems: Problem[]
}

const MAX_PROBLEMS = 5
const SHAPE = ['GRIDIM-ROLE-9']
const MEDIA_TYPE = ['GRIDIM-ROLE-6']
/** An error answer that is not the problem details object of its code also breaks GRIDIM-ERR-1. */
const PROBLEM_SHAPE = ['GRIDIM-ROLE-9', 'GRIDIM-ERR-1']
const PROBLEM_MEDIA_TYPE = ['GRIDIM-ROLE-6', 'GRIDIM-ERR-1']

let operations: Map<string, Operation> | undefined

export function operationOf (operationId: string): Operation | undefined {
  operations ??= allOperations()
  return operations.get(operationId)
}

function valueAt (body: unknown, pointer: string): unknown {
  let value = body
  for (const key of pointer.split('/').slice(1).map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'))) {
    if (value === null || typeof value !== 'object') return undefined
    value = (value as Record<string, unknown>)[key]
  }
  return value
}

function shown (value: unknown): string {
  const text = JSON.stringify(value) ?? 'undefined'
  return text.length > 60 ? `${text.slice(0, 57)}...` : text
}

/**
 * The identifier and timestamp forms are requirements of their own, besides the schema's:
 * a value that breaks the `Uuid` schema breaks GRIDIM-ID-1, one that breaks `Timestamp` GRIDIM-ID-12.
 */
export function formRequirements (schemaPath: string): string[] {
  if (/\/Uuid\/[^/]+$/.test(schemaPath)) return ['GRIDIM-ID-1']
  if (/\/Timestamp\/[^/]+$/.test(schemaPath)) return ['GRIDIM-ID-12']
  return []
}

/** An Ajv error as a sentence: where, what the schema says (Ajv's words), and what was there. */
function fromAjv (error: ErrorObject, body: unknown, prefix: string, shape: string[]): Problem {
  const requirements = [...shape, ...formRequirements(error.schemaPath)]
  const params = error.params as Record<string, unknown>
  let message = error.message ?? error.keyword
  if (error.keyword === 'additionalProperties') message += `: ${String(params.additionalProperty)}`
  else if (error.keyword === 'enum') message += `: ${shown(params.allowedValues)}`
  message += ` (${error.keyword})`
  if (error.keyword !== 'required' && error.keyword !== 'additionalProperties') message += `, got ${shown(valueAt(body, error.instancePath))}`
  return { pointer: prefix + error.instancePath, message, requirements }
}

function validateWith (validate: ValidateFunction, value: unknown, prefix: string, requirements: string[]): Problem[] {
  if (validate(value)) return []
  return (validate.errors ?? []).map((e) => fromAjv(e, value, prefix, requirements))
}

/** Query strings are text; read them as the parameter's schema types them (as the reference does). */
function coerce (value: string, validate: ValidateFunction): unknown {
  const type = (validate.schema as { type?: unknown }).type
  if ((type === 'integer' || type === 'number') && /^-?\d+(\.\d+)?$/.test(value)) return Number(value)
  if (type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true'
  return value
}

/** The path parameters of `url` by the operation's template, matched at the end of the path (base URLs may have a prefix). */
function pathParams (op: Operation, url: URL): Record<string, string> | undefined {
  const names: string[] = []
  const pattern = op.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{([^}]+)\}/g, (_, name: string) => { names.push(name); return '([^/]+)' })
  const m = new RegExp(`${pattern}/?$`).exec(url.pathname)
  if (!m) return undefined
  return Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)]))
}

function requestProblems (op: Operation, url: string, body: unknown): Problem[] {
  const problems: Problem[] = []
  const parsed = new URL(url)
  const path = pathParams(op, parsed)
  if (path === undefined) problems.push({ pointer: '', message: `${parsed.pathname} does not match ${op.path}`, requirements: SHAPE })
  for (const p of op.params.path) {
    const value = path?.[p.name]
    if (value !== undefined) problems.push(...validateWith(p.validate, value, `{${p.name}}`, SHAPE))
  }
  for (const p of op.params.query) {
    const raw = parsed.searchParams.get(p.name)
    if (raw === null) {
      if (p.required) problems.push({ pointer: `?${p.name}`, message: 'required query parameter missing', requirements: SHAPE })
      continue
    }
    problems.push(...validateWith(p.validate, coerce(raw, p.validate), `?${p.name}`, SHAPE))
  }
  // Header parameters are not checked: what the runner observes carries no request headers.
  if (op.requestBody !== undefined && body !== undefined) problems.push(...validateWith(op.requestBody, body, '', SHAPE))
  return problems
}

function essence (contentType: string): string {
  return contentType.split(';')[0]!.trim().toLowerCase()
}

function responseProblems (op: Operation, status: number, body: unknown, contentType: string | undefined): Problem[] {
  const isError = status >= 400
  // `default` stands for the errors an operation does not list one by one, not for a success.
  const spec = op.responses.get(String(status)) ?? op.responses.get(`${String(status)[0]}XX`) ?? (isError ? op.responses.get('default') : undefined)
  if (spec === undefined) {
    const listed = [...op.responses.keys()].filter((k) => k !== 'default').join(', ')
    return [{ pointer: '', message: `status ${status} is not one ${op.operationId} lists (${listed})`, requirements: SHAPE }]
  }
  const problems: Problem[] = []
  if (body !== undefined && contentType !== undefined && spec.contentType !== undefined && essence(contentType) !== essence(spec.contentType)) {
    problems.push({ pointer: '', message: `media type ${essence(contentType)}, the contract says ${spec.contentType}`, requirements: isError ? PROBLEM_MEDIA_TYPE : MEDIA_TYPE })
  }
  if (spec.validate !== undefined) {
    const requirements = isError ? PROBLEM_SHAPE : SHAPE
    if (body === undefined) problems.push({ pointer: '', message: 'no body, the contract gives this response one', requirements })
    else problems.push(...validateWith(spec.validate, body, '', requirements))
  }
  return problems
}

/** The message's departures from the contract; undefined when it matches (or names no operation of the contract). */
export function validateMessage (m: Message): Violation | undefined {
  const op = operationOf(m.operationId)
  if (op === undefined) return undefined
  const problems = m.direction === 'request'
    ? requestProblems(op, m.url, m.body)
    : responseProblems(op, m.status, m.body, m.contentType)
  if (problems.length === 0) return undefined
  return {
    operationId: op.operationId,
    document: op.document,
    direction: m.direction,
    status: m.direction === 'response' ? m.status : undefined,
    problems: problems.slice(0, MAX_PROBLEMS)
  }
}
