// A failure's reason is never blank: an error without a message is told by what it holds.
import t from 'tap'
import { errorText } from './error-text.ts'

t.test('an error\'s message, or what it holds when it has none', async (t) => {
  t.equal(errorText(new Error('connect ECONNREFUSED 127.0.0.1:1')), 'connect ECONNREFUSED 127.0.0.1:1')
  const refused = (address: string): Error => Object.assign(new Error(`connect ECONNREFUSED ${address}`), { code: 'ECONNREFUSED' })
  t.equal(errorText(Object.assign(new AggregateError([refused('::1:5222'), refused('127.0.0.1:5222')], ''), { code: 'ECONNREFUSED' })),
    'AggregateError: ECONNREFUSED; connect ECONNREFUSED ::1:5222; connect ECONNREFUSED 127.0.0.1:5222', 'every address tried')
  t.equal(errorText(new TypeError('')), 'TypeError (no message)')
  t.equal(errorText(Object.assign(new Error(''), { code: 'ERR_STREAM_PREMATURE_CLOSE' })), 'Error: ERR_STREAM_PREMATURE_CLOSE')
  t.equal(errorText('a string thrown'), 'a string thrown')
})
