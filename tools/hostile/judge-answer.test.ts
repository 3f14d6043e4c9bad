// The hostile-input test's judge, from a table: what counts as a refusal in the contract.
import t from 'tap'
import { allOperations } from '../../reference/lib/contract/operations.ts'
import { codeTable, judgeAttack, judgeRefusal } from './judge-answer.ts'
import type { RawAnswer } from './raw-request.ts'

const ops = allOperations()
const op = (id: string) => ops.get(id)!

function problem (status: number, code: string, contentType = 'application/problem+json'): RawAnswer {
  const body = { type: `urn:gridim:problem:${code}`, title: code, status, code }
  return { status, headers: { 'content-type': contentType }, body: Buffer.from(JSON.stringify(body)) }
}

t.test('chapter 14\'s table is read from the spec, code by code', async (t) => {
  const table = codeTable()
  t.equal(table.get('invalid-request'), 400)
  t.equal(table.get('unknown-user'), 404)
  t.equal(table.get('internal'), 500)
  t.ok(table.size >= 25)
})

t.test('a refusal must be an answer, not a 5xx, listed for the operation, in the contract, with its code\'s status', async (t) => {
  const cases: Array<[string, string, RawAnswer, boolean, RegExp?]> = [
    ['a listed 400 problem', 'signOn', problem(400, 'invalid-request'), true],
    ['413 for any JSON operation (GRIDIM-LIM-3)', 'getDirectory', problem(413, 'body-too-large'), true],
    ['no answer at all', 'signOn', { status: 0, failure: 'socket hang up' }, false, /no answer \(socket hang up\)/],
    ['a 500', 'signOn', problem(500, 'internal'), false, /a server error/],
    ['a success', 'signOn', { status: 201, headers: {}, body: Buffer.alloc(0) }, false, /not refused/],
    ['a status the operation does not list', 'getDirectory', problem(404, 'unknown-user'), false, /status not listed/],
    ['a code outside the table', 'listFriends', problem(404, 'no-such-thing'), false, /allowed values/],
    ['a made-up code where the operation lists no 404', 'getDirectory', problem(404, 'no-such-thing'), false, /status not listed/],
    ['a code with another status than the table\'s', 'signOn', problem(400, 'unknown-user'), false, /has status 404 in chapter 14/],
    ['a problem as plain JSON', 'signOn', problem(400, 'invalid-request', 'application/json'), false, /media type/],
    ['a body that is not JSON', 'signOn', { status: 400, headers: { 'content-type': 'application/problem+json' }, body: Buffer.from('oops') }, false, /400/],
    ['an error without a body', 'signOn', { status: 400, headers: {}, body: Buffer.alloc(0) }, false, /no body/],
    ['a BOSH terminate body', 'boshRequest', { status: 200, headers: { 'content-type': 'text/xml' }, body: Buffer.from("<body xmlns='http://jabber.org/protocol/httpbind' type='terminate' condition='bad-request'/>") }, true],
    ['a BOSH body that goes on', 'boshRequest', { status: 200, headers: { 'content-type': 'text/xml' }, body: Buffer.from("<body xmlns='http://jabber.org/protocol/httpbind'/>") }, false, /not refused/],
    ['a 413 problem from BOSH, which reports errors the BOSH way', 'boshRequest', problem(413, 'body-too-large'), false, /status not listed/]
  ]
  for (const [name, id, answer, ok, why] of cases) {
    const verdict = judgeRefusal(op(id), answer)
    t.equal(verdict.ok, ok, name)
    if (!verdict.ok && why !== undefined) t.match(verdict.why, why, name)
  }
})

t.test('an attack must be refused with 401 and one of its codes', async (t) => {
  t.ok(judgeAttack(op('signOn'), problem(401, 'bad-signature'), ['bad-signature']).ok)
  t.match(judgeAttack(op('signOn'), problem(401, 'bad-signature'), ['unauthenticated']), { ok: false, why: /not refused with 401 unauthenticated/ })
  t.match(judgeAttack(op('signOn'), problem(400, 'invalid-request'), ['unauthenticated']), { ok: false, why: /400 invalid-request/ })
  t.match(judgeAttack(op('signOn'), { status: 0, failure: 'reset' }, ['unauthenticated']), { ok: false, why: /no answer/ })
})
