import t from 'tap'
import { revealedDetail } from './internal-details.ts'

t.test('a problem that reveals nothing internal passes, its type URN and instance path included', async (t) => {
  t.equal(revealedDetail({ type: 'urn:gridim:problem:internal', title: 'Internal error', status: 500, code: 'internal', instance: '/client/teleport' }), undefined)
  t.equal(revealedDetail({ detail: 'Region 2e3f4051-6273-4849-9ab1-c2d3e4f50617 holds no current lease.' }), undefined)
  t.equal(revealedDetail(undefined), undefined)
  t.equal(revealedDetail([1, true, null]), undefined)
})

t.test('stack traces, file paths, addresses, URLs and queries are found wherever they are', async (t) => {
  const stack = 'Error: internal\n    at PeerClient.callUnchecked (/srv/gridim/reference/lib/http/peer-client.ts:230:13)\n    at async Object.clientTeleport (file:///srv/x.js:83:9)'
  t.match(revealedDetail({ detail: stack }), /^a stack frame at \/detail/)
  t.match(revealedDetail({ detail: 'TypeError: x is undefined\n  at foo' }), /stack frame/)
  t.match(revealedDetail({ errors: [{ cause: 'failed in C:\\gridim\\region.js' }] }), /^a source file path at \/errors\/0\/cause/)
  t.match(revealedDetail({ detail: 'acceptAgent to 10.0.3.7:8702 failed: ECONNREFUSED' }), /^a network address/)
  t.match(revealedDetail({ detail: 'cannot reach localhost:5432' }), /network address/)
  t.match(revealedDetail({ detail: 'upstream https://internal.example/accept failed' }), /^a URL/)
  t.match(revealedDetail({ detail: 'SELECT * FROM sessions WHERE id = ?' }), /^a query/)
})
