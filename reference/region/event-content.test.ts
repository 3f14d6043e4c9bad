import t from 'tap'
import { compileSchema } from '../lib/contract/operations.ts'
import type { Notice } from '../lib/contract/types.ts'
import { noticeEvent } from './event-content.ts'
import { uuid } from './test-support.ts'

const clientEvent = compileSchema('client', { $ref: '#/components/schemas/ClientEvent' })

t.test('a notice becomes the event of its type, carrying the notice without type and toUserId (client.yaml ClientEvent)', async (t) => {
  const notice: Notice = { type: 'friendshipOffer', noticeId: uuid(), toUserId: uuid(), offerId: uuid(), fromUserId: uuid(), fromName: 'Ada Lovelace', message: 'Tea?' }
  const { type, toUserId: _, ...data } = notice
  const content = noticeEvent(notice)
  t.same(content, { type, data })
  t.notOk('toUserId' in content.data, 'the addressee is the session itself')
  const event = { id: '1', at: '2024-11-24T09:15:00.000Z', ...content }
  t.ok(clientEvent(event), `a ClientEvent: ${JSON.stringify(clientEvent.errors)}`)
})
