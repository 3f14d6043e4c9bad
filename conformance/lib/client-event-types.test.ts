// The runner reads the event types from client.yaml at run time; the code is typed from the
// generated types. Both must name the same events.
import t from 'tap'
import { clientEventTypes, isClientEventType } from './client-event-types.ts'
import type { ClientEventType } from './client-session.ts'

// A Record over the generated union: adding or removing an event in the contract breaks this line at typecheck.
const GENERATED: Record<ClientEventType, true> = {
  instantMessage: true,
  chatState: true,
  presence: true,
  friendshipOffer: true,
  friendshipAccepted: true,
  friendshipDeclined: true,
  friendshipEnded: true,
  rightsChanged: true,
  groupSessionInvitation: true,
  groupSessionMemberLeft: true,
  groupSessionClosed: true,
  groupMessage: true,
  deliveryFailed: true
}

t.test('the discriminator of client.yaml and the generated ClientEvent name the same event types', async (t) => {
  t.same([...clientEventTypes()].sort(), Object.keys(GENERATED).sort())
})

t.test('a type the contract does not define is no ClientEvent type', async (t) => {
  t.ok(isClientEventType('instantMessage'))
  t.notOk(isClientEventType('instantMesage'), 'a misspelling')
  t.notOk(isClientEventType('InstantMessageEvent'), 'a schema name is not a type')
})
