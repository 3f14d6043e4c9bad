import t from 'tap'
import { parseSse } from './sse.ts'

t.test('server-sent events parse into id, event and JSON data; comments and empty blocks are ignored', async (t) => {
  const text = ': heartbeat\n\nid: 3\nevent: instantMessage\ndata: {"type":"instantMessage","data":{"body":"two"}}\n\nid: 4\ndata: plain\ndata: text\n\n'
  t.same(parseSse(text), [
    { id: '3', event: 'instantMessage', data: { type: 'instantMessage', data: { body: 'two' } } },
    { id: '4', event: undefined, data: 'plain\ntext' }
  ])
})
