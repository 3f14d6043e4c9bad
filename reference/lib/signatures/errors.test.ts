import t from 'tap'
import { GridImError } from '../errors/index.ts'
import { BadSignatureError, ReplayedRequestError, SignatureError, UnauthenticatedError, UnknownKeyError } from './errors.ts'

t.test('GRIDIM-ERR: each signature error has a stable code, status 401 and its own name', async (t) => {
  const table = [
    [new UnauthenticatedError(), 'unauthenticated', 'UnauthenticatedError'],
    [new BadSignatureError(), 'bad-signature', 'BadSignatureError'],
    [new UnknownKeyError(), 'unknown-key', 'UnknownKeyError'],
    [new ReplayedRequestError(), 'replayed-request', 'ReplayedRequestError']
  ] as const
  for (const [error, code, name] of table) {
    t.equal(error.code, code, name)
    t.equal(error.status, 401, `${name} is a 401`)
    t.equal(error.name, name)
    t.ok(error instanceof SignatureError && error instanceof GridImError, `${name} is a SignatureError and a GridImError`)
    t.equal(error.toProblem().type, `urn:gridim:problem:${code}`)
  }
})

t.test('GRIDIM-ERR: the detail given becomes the problem detail', async (t) => {
  t.equal(new BadSignatureError('the signature does not verify').toProblem().detail, 'the signature does not verify')
})
