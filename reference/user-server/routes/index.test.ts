// The route tables are the contract's operations: every one has a route, filed under its own
// operationId, and the compiler holds each route to its operation's types.
import t from 'tap'
import { listOperations } from '../../lib/contract/operations.ts'
import { adminRoutes, userServerRoutes, type Routes } from './index.ts'
import { signOff } from './sign-off.ts'
import { signOn } from './sign-on.ts'

t.test('every operation of user-server.yaml and admin.yaml has a route, and nothing else does', async (t) => {
  const ids = (document: 'user-server' | 'admin'): string[] => listOperations(document).map((op) => op.operationId).sort()
  t.same(Object.keys(userServerRoutes).sort(), ids('user-server'))
  t.same(Object.keys(adminRoutes).sort(), ids('admin'))
})

// Route tables the compiler must refuse: `npm run typecheck` fails if any of these compiles
// (an unused @ts-expect-error is an error).
const { getDirectory: _left, ...withoutGetDirectory } = userServerRoutes
export const refused = {
  // @ts-expect-error signOn's handler takes a SignOnRequest body; getDirectory has none and answers a Directory
  swapped: { ...userServerRoutes, getDirectory: signOn } satisfies Routes<'user-server'>,
  // @ts-expect-error signOff answers 204 to a session id in the path; signOn answers 201 with a session
  mistyped: { ...userServerRoutes, signOn: signOff } satisfies Routes<'user-server'>,
  // @ts-expect-error no operation is called signIn
  misnamed: { ...userServerRoutes, signIn: signOn } satisfies Routes<'user-server'>,
  // @ts-expect-error every operation needs its route
  incomplete: withoutGetDirectory satisfies Routes<'user-server'>
}
