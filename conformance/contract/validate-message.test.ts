// GRIDIM-ROLE-9 (and -6, ERR-1): what the runner reports when a message departs from the
// OpenAPI documents, from a table of messages, one departure each.
import t from 'tap'
import { validateMessage, type Message } from './validate-message.ts'

const REGION = '1d2e3f40-5162-4738-89a0-b1c2d3e4f506'
const status = { regionId: REGION, name: 'Babbage Plaza', kind: 'region', agents: 2 }
const problem = { type: 'urn:gridim:problem:agent-not-here', title: 'Agent not here', status: 404, code: 'agent-not-here' }
const lease = { url: 'http://127.0.0.1:8001', kind: 'region', name: 'Region 1' }
const JSON_TYPE = 'application/json; charset=utf-8'
const PROBLEM_TYPE = 'application/problem+json'

const matching: Array<[string, Message]> = [
  ['a region status answer', { direction: 'response', operationId: 'getRegionStatus', status: 200, body: status, contentType: JSON_TYPE }],
  ['a problem answer under `default`', { direction: 'response', operationId: 'deliverInstantMessage', status: 404, body: problem, contentType: PROBLEM_TYPE }],
  ['a lease request', { direction: 'request', operationId: 'renewRegionLease', url: `http://127.0.0.1:8000/regions/${REGION}/lease`, body: lease }],
  ['a request under a base URL with a path', { direction: 'request', operationId: 'renewRegionLease', url: `http://127.0.0.1:8000/grid/regions/${REGION}/lease`, body: lease }],
  ['a query parameter read as its schema types it', { direction: 'request', operationId: 'clientListEvents', url: 'http://127.0.0.1:8001/client/events?wait=5' }],
  ['an unknown operation (nothing to check it against)', { direction: 'response', operationId: 'noSuchOperation', status: 200, body: 1 }]
]

for (const [name, message] of matching) {
  t.test(`matches: ${name}`, async (t) => { t.equal(validateMessage(message), undefined) })
}

type Departure = { name: string, message: Message, pointer: string, says: RegExp, requirements: string[] }

const departures: Departure[] = [
  {
    name: 'a member of the wrong type',
    message: { direction: 'response', operationId: 'getRegionStatus', status: 200, body: { ...status, agents: '2' }, contentType: JSON_TYPE },
    pointer: '/agents', says: /must be integer \(type\), got "2"/, requirements: ['GRIDIM-ROLE-9']
  },
  {
    name: 'a required member missing',
    message: { direction: 'response', operationId: 'getRegionStatus', status: 200, body: { regionId: REGION, name: 'x', kind: 'region' } },
    pointer: '', says: /must have required property 'agents' \(required\)/, requirements: ['GRIDIM-ROLE-9']
  },
  {
    name: 'a member the closed schema does not have',
    message: { direction: 'response', operationId: 'getRegionStatus', status: 200, body: { ...status, internalId: 7 } },
    pointer: '', says: /must NOT have additional properties: internalId/, requirements: ['GRIDIM-ROLE-9']
  },
  {
    name: 'a success status the operation does not list',
    message: { direction: 'response', operationId: 'getRegionStatus', status: 201, body: status },
    pointer: '', says: /status 201 is not one getRegionStatus lists \(200/, requirements: ['GRIDIM-ROLE-9']
  },
  {
    name: 'a success answered with the wrong media type',
    message: { direction: 'response', operationId: 'getRegionStatus', status: 200, body: status, contentType: 'text/plain' },
    pointer: '', says: /media type text\/plain, the contract says application\/json/, requirements: ['GRIDIM-ROLE-6']
  },
  {
    name: 'a problem whose status is text',
    message: { direction: 'response', operationId: 'deliverInstantMessage', status: 404, body: { ...problem, status: '404' }, contentType: PROBLEM_TYPE },
    pointer: '/status', says: /must be integer/, requirements: ['GRIDIM-ROLE-9', 'GRIDIM-ERR-1']
  },
  {
    name: 'an error answered as plain JSON',
    message: { direction: 'response', operationId: 'deliverInstantMessage', status: 404, body: problem, contentType: 'application/json' },
    pointer: '', says: /media type application\/json, the contract says application\/problem\+json/, requirements: ['GRIDIM-ROLE-6', 'GRIDIM-ERR-1']
  },
  {
    name: 'an answer with no body where the contract gives one',
    message: { direction: 'response', operationId: 'getRegionStatus', status: 200 },
    pointer: '', says: /no body/, requirements: ['GRIDIM-ROLE-9']
  },
  {
    name: 'a request body of the wrong shape',
    message: { direction: 'request', operationId: 'renewRegionLease', url: `http://127.0.0.1:8000/regions/${REGION}/lease`, body: { ...lease, kind: 'moon' } },
    pointer: '/kind', says: /must be equal to one of the allowed values/, requirements: ['GRIDIM-ROLE-9']
  },
  {
    name: 'a path parameter that is not a UUID',
    message: { direction: 'request', operationId: 'renewRegionLease', url: 'http://127.0.0.1:8000/regions/not-a-uuid/lease', body: lease },
    pointer: '{regionId}', says: /must match/, requirements: ['GRIDIM-ROLE-9', 'GRIDIM-ID-1']
  },
  {
    name: 'a timestamp with a numeric offset instead of Z',
    message: { direction: 'response', operationId: 'renewRegionLease', status: 200, body: { leaseSeconds: 60, expiresAt: '2025-01-01T00:00:00+00:00' }, contentType: 'application/json' },
    pointer: '/expiresAt', says: /must match pattern/, requirements: ['GRIDIM-ROLE-9', 'GRIDIM-ID-12']
  },
  {
    name: 'a query parameter out of range',
    message: { direction: 'request', operationId: 'clientListEvents', url: 'http://127.0.0.1:8001/client/events?wait=-1' },
    pointer: '?wait', says: /must be >= 0/, requirements: ['GRIDIM-ROLE-9']
  },
  {
    name: 'a request to a path the operation does not have',
    message: { direction: 'request', operationId: 'renewRegionLease', url: `http://127.0.0.1:8000/leases/${REGION}`, body: lease },
    pointer: '', says: /does not match \/regions\/\{regionId\}\/lease/, requirements: ['GRIDIM-ROLE-9']
  }
]

for (const d of departures) {
  t.test(`departs: ${d.name}`, async (t) => {
    const v = validateMessage(d.message)
    if (!v) return t.fail('a violation is reported')
    t.equal(v.operationId, d.message.operationId)
    t.equal(v.direction, d.message.direction)
    t.equal(v.status, d.message.direction === 'response' ? d.message.status : undefined)
    const p = v.problems.find((p) => p.pointer === d.pointer && d.says.test(p.message))
    t.ok(p, `a problem at "${d.pointer}" saying ${d.says}`, { problems: v.problems })
    t.same(p?.requirements, d.requirements)
  })
}
