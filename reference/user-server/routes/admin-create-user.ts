// adminCreateUser — GRIDIM-ID-7 (names unique ignoring case), GRIDIM-SEC-12 (scrypt, never the
// password itself).
import { randomUUID } from 'node:crypto'
import { GridImError } from '../../lib/errors/index.ts'
import type { OperationHandler } from '../../lib/http/index.ts'
import { hashPassword } from '../../store/index.ts'
import type { UserServerContext } from '../context.ts'
import { displayName } from '../wire.ts'

type CreateUserRequest = { firstName: string, lastName: string, password: string }

export function adminCreateUser (ctx: UserServerContext): OperationHandler {
  return async (input) => {
    const { firstName, lastName, password } = input.body as CreateUserRequest
    const taken = () => new GridImError('invalid-request', `the name ${firstName} ${lastName} is taken`)
    if (ctx.store.findUserByName(firstName, lastName) !== null) throw taken()
    const userId = randomUUID()
    const hash = await hashPassword(password)
    if (!ctx.store.createUser({ userId, firstName, lastName, ...hash, createdAt: ctx.now() })) throw taken()
    return { status: 201, body: { userId, firstName, lastName, name: displayName({ firstName, lastName }) } }
  }
}
