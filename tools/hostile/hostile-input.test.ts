// Issue 11, "nothing lost, no one in": every operation of every OpenAPI document, driven on a
// real grid over real sockets with invalid inputs derived from its own schemas (json-schema-
// faker makes a valid request, fast-check spoils it, with a fixed seed) and, where it is
// signed or takes a bearer token, with attacks on that. Every answer must be a refusal in the
// contract — never a 5xx, never silence (GRIDIM-ERR-1, GRIDIM-ERR-2), every attack refused with
// its code (GRIDIM-SEC-5) — and nothing may change (GRIDIM-ERR-5).
//
// GRIDIM_HOSTILE_INPUTS sets the inputs per operation (default 12), GRIDIM_HOSTILE_SEED the seed.
import t from 'tap'
import { DOCUMENTS, type DocumentName } from '../../reference/lib/contract/load-openapi.ts'
import { listOperations, type Operation } from '../../reference/lib/contract/operations.ts'
import { hostileBoshInputs } from './bosh-inputs.ts'
import { composeRequest, type Credentials } from './compose-request.ts'
import { startHostileGrid, type HostileGrid } from './hostile-grid.ts'
import { hostileInputs, wireInput, type HostileInput } from './hostile-inputs.ts'
import { judgeAttack, judgeRefusal } from './judge-answer.ts'
import { schemasOf } from './operation-schemas.ts'
import { closeConnections, sendRaw, type RawRequest } from './raw-request.ts'
import { bearerAttacks, signedAttacks, withoutCredentials, type Attack } from './signed-attacks.ts'
import { differences, regionState, storeRows, type Snapshot } from './state-snapshot.ts'
import { Tally } from './tally.ts'
import { validInput } from './valid-input.ts'

const SEED = Number(process.env.GRIDIM_HOSTILE_SEED ?? 20261201)
const PER_OPERATION = Number(process.env.GRIDIM_HOSTILE_INPUTS ?? 12)

/** Inputs refused by the contract's validators, which run after authentication (GRIDIM-ERR-7). */
function failsValidation (input: HostileInput): boolean {
  return /^(body: (wrong type|missing required|unknown member|too long|too short|bad |outside|below|above|not an integer|too many|repeated|too few|not an object)|(path \{\w+\}|query \w+): not its form)/.test(input.kind) &&
    !input.kind.includes(', as ')
}

type Endpoint = { name: string, baseUrl: string, credentials: Credentials, wrongToken: string }

/** Where each document's operations are served, and with whose credentials. */
function endpoints (g: HostileGrid, document: DocumentName): Endpoint[] {
  switch (document) {
    case 'user-server': return [{ name: 'the user server', baseUrl: g.userServerUrl, credentials: { signer: g.hostRegion }, wrongToken: g.adminToken }]
    case 'admin': return [{ name: 'the user server', baseUrl: g.userServerUrl, credentials: { bearer: g.adminToken }, wrongToken: g.clientSecret }]
    // The gateway serves region.yaml too: to the grid it is just another region.
    case 'region': return [
      { name: 'region 1', baseUrl: g.regionUrl, credentials: { signer: g.peerRegion }, wrongToken: g.adminToken },
      { name: 'the gateway', baseUrl: g.gatewayUrl, credentials: { signer: g.peerRegion }, wrongToken: g.adminToken }
    ]
    case 'client': return [{ name: 'region 1', baseUrl: g.regionUrl, credentials: { bearer: g.clientSecret }, wrongToken: g.adminToken }]
    case 'gateway': return [{ name: 'the gateway', baseUrl: g.gatewayUrl, credentials: {}, wrongToken: g.adminToken }]
  }
}

async function snapshot (g: HostileGrid): Promise<Snapshot> {
  await g.grid.userServer.idle()
  const gateway = g.grid.gateway!
  return new Map([
    ...storeRows(g.userServerDatabase),
    ...g.grid.regions.flatMap((r, i) => [...regionState(`region ${i + 1}`, r)]),
    ...regionState('gateway', gateway.region),
    ['gateway users', String(gateway.users.size)]
  ])
}

/** The servers still answer: each one's unauthenticated status operation succeeds. */
async function stillServing (g: HostileGrid): Promise<string[]> {
  const urls = [`${g.userServerUrl}/directory`, ...g.grid.regions.map((r) => `${r.url}/status`), `${g.gatewayUrl}/status`]
  const answers = await Promise.all(urls.map(async (url) => [url, await sendRaw({ method: 'GET', url })] as const))
  return answers.filter(([, a]) => a.status !== 200).map(([url, a]) => `${url}: ${'failure' in a ? a.failure : a.status}`)
}

function seedOf (op: Operation): number {
  let h = SEED
  for (const c of op.operationId) h = (Math.imul(h, 31) + c.charCodeAt(0)) | 0
  return h
}

function attacksOn ({ baseUrl, credentials, wrongToken }: Endpoint, op: Operation, valid: HostileInput, inputs: HostileInput[]): Attack[] {
  if (op.security.length === 0) return []
  const invalid = inputs.find((i) => i.kind.startsWith('body:') && failsValidation(i))
  return [
    ...op.security.includes('gridimSignature') ? signedAttacks(baseUrl, op, valid, credentials.signer!) : bearerAttacks(baseUrl, op, valid, { wrongToken }),
    ...invalid === undefined ? [] : [withoutCredentials(baseUrl, op, invalid)]
  ]
}

/** Destructive operations last, so that one that wrongly succeeds spoils as little as it can. */
function operations (): Operation[] {
  const rank = (op: Operation): number => op.method === 'DELETE' ? 1 : 0
  return DOCUMENTS.flatMap((d) => listOperations(d)).sort((a, b) => rank(a) - rank(b))
}

/** Sends `inputs` and the attacks to `op` at `target`; what went wrong, by kind. */
async function drive (tally: Tally, op: Operation, target: Endpoint, inputs: HostileInput[], attacks: Attack[]) {
  const refusals: string[] = []
  let shapeRefused: RawRequest | undefined
  for (const input of inputs) {
    const request = composeRequest(target.baseUrl, op, input, target.credentials)
    const answer = await sendRaw(request)
    tally.inputs++
    const verdict = judgeRefusal(op, answer)
    if (answer.status >= 500) tally.serverErrors++
    if (!verdict.ok) {
      tally.contractViolations++
      refusals.push(`${input.kind}: ${verdict.why}`)
    }
    // Refused for its schema, so after its signature was accepted (GRIDIM-ERR-7): its nonce
    // is spent. (A path that does not decode is refused before any handler runs.)
    if (answer.status === 400 && shapeRefused === undefined && failsValidation(input)) shapeRefused = request
  }
  const replay: Attack[] = shapeRefused !== undefined && op.security.includes('gridimSignature')
    ? [{ name: 'a nonce used again (the same request sent twice)', codes: ['replayed-request'], request: shapeRefused }]
    : []
  const failedAttacks: string[] = []
  for (const attack of [...attacks, ...replay]) {
    const answer = await sendRaw(attack.request)
    tally.attacks++
    if (answer.status !== 401) tally.attacksAccepted++
    if (answer.status >= 500) tally.serverErrors++
    const verdict = judgeAttack(op, answer, attack.codes)
    if (!verdict.ok) failedAttacks.push(`${attack.name}: ${verdict.why}`)
  }
  return { refusals, failedAttacks }
}

t.test('every operation refuses schema-derived invalid inputs and signed attacks, in the contract, changing nothing', async (t) => {
  const started = Date.now()
  const g = await startHostileGrid()
  t.teardown(async () => {
    closeConnections()
    await g.stop()
  })
  const tally = new Tally()

  for (const op of operations()) {
    const schemas = schemasOf(op)
    const valid = validInput(op, schemas, g.ids, seedOf(op))
    const inputs = op.operationId === 'boshRequest'
      ? hostileBoshInputs(g.grid.gatewayInfo!.domain, seedOf(op), PER_OPERATION)
      : hostileInputs(op, schemas, valid, seedOf(op), PER_OPERATION)
    tally.operations++
    for (const target of endpoints(g, op.document)) {
      const attacks = attacksOn(target, op, wireInput(valid), inputs)
      await t.test(`${op.operationId} (${op.document}.yaml) at ${target.name} refuses ${inputs.length} invalid inputs and ${attacks.length} attacks and changes nothing`, async (t) => {
        const before = await snapshot(g)
        const { refusals, failedAttacks } = await drive(tally, op, target, inputs, attacks)
        const down = await stillServing(g)
        const changed = differences(before, await snapshot(g))
        tally.stateChanges += changed.length
        t.same(refusals, [], 'every invalid input is refused, in the contract, without a 5xx')
        t.same(failedAttacks, [], 'every attack is refused with 401 and its code')
        t.same(down, [], 'every server still answers')
        t.same(changed, [], 'no state changed')
      })
    }
  }
  t.same(g.errors, [], 'no server logged an unexpected error')
  const line = tally.line(SEED, Date.now() - started)
  t.comment(line)
  process.stderr.write(`${line}\n`)
  t.equal(tally.attacksAccepted + tally.serverErrors + tally.contractViolations + tally.stateChanges, 0, 'no attack accepted, no 5xx, no contract violation, no state change')
})
