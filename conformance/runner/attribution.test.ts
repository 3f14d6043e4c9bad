// Per-role results (issue 14): which role a check judges, and whether the target or the runner
// plays it. The same flow's checks are the target's against a full grid and, for user-server
// rules, the runner's against a regions-only target.
import t from 'tap'
import type { Expectation, Flow, Step } from '../../spec/flows/schema.ts'
import { attribute, attributeActor, observedActor, type AttributionScope } from './attribution.ts'
import { requirementChapter, requirementRole, roleOfRequirement } from './requirement-roles.ts'

const flow: Pick<Flow, 'actors'> = {
  actors: {
    A: { kind: 'user', at: 'R1' },
    B: { kind: 'user', at: 'R2' },
    D: { kind: 'xmpp-user', at: 'J' },
    R1: { kind: 'region' },
    R2: { kind: 'region' },
    RX: { kind: 'region', simulated: true },
    GW: { kind: 'gateway' },
    J: { kind: 'jabber-server' },
    US: { kind: 'user-server' }
  }
}
const grid: AttributionScope = { flow, playsUserServer: false }
const regionsOnly: AttributionScope = { flow, playsUserServer: true }
const step = (s: Partial<Step>): Step => ({ id: '1', actor: 'A', action: 'x', outcomes: [], ...s })
const send = step({ do: { call: 'clientSendInstantMessage', as: 'A', args: { toUserId: '$B.userId', body: 'hi' } } })
const response: Expectation = { kind: 'response', status: 200 }

t.test('a requirement binds the role its sentence names', async (t) => {
  t.equal(requirementRole('GRIDIM-OFFL-1'), 'user-server', 'The user server MUST …')
  t.equal(requirementRole('GRIDIM-IM-9'), 'region', 'A region MUST …')
  t.equal(requirementRole('GRIDIM-CLI-2'), 'client-interface', "a region's duty in chapter 10")
  t.equal(requirementRole('GRIDIM-XMPP-1'), 'gateway')
  t.equal(requirementRole('GRIDIM-SEC-3'), 'any', 'A receiver: whichever role is observed')
  t.equal(requirementRole('GRIDIM-LIM-1'), 'any', 'A region, the gateway and the user server')
  t.equal(requirementRole('GRIDIM-NOPE-1'), 'any', 'an id the spec lacks')
  t.equal(requirementChapter('GRIDIM-LEASE-1'), '05 leases')
  t.equal(requirementChapter('GRIDIM-NOPE-1'), 'NOPE')
  t.equal(roleOfRequirement({ text: 'When a region\'s lease lapses, the user server MUST end it.', chapter: '05-leases.md' }), 'user-server', 'the role nearest the keyword')
  t.equal(roleOfRequirement({ text: 'When the user server stores a message for a region, it MUST tell it.', chapter: '08-offline-messages.md' }), 'user-server', '", it" hands the subject back')
  t.equal(roleOfRequirement({ text: 'A region that hears from the user server MUST answer.', chapter: '06-location.md' }), 'region', 'an opening role is the subject')
  t.equal(roleOfRequirement({ text: 'On a presence probe the component MUST answer.', chapter: '11-xmpp-mapping.md' }), 'gateway', 'chapter 11 binds the gateway')
  t.equal(roleOfRequirement({ text: 'Bodies of the user-server, region and client interfaces MUST be JSON.', chapter: '01-roles-and-trust.md' }), 'any', 'interfaces named, not roles')
  t.equal(roleOfRequirement({ text: "The sender's region MUST try.", chapter: '07-instant-messages.md' }), 'region')
  t.equal(roleOfRequirement({ text: 'A client SHOULD wait.', chapter: '10-client-interface.md' }), 'client')
})

t.test('a user-server rule is the target\'s on a grid and the runner\'s against regions only', async (t) => {
  // GRIDIM-LIM-8: the user server stores 100 messages, seen in the answer of A's region.
  t.same(attribute(grid, send, ['GRIDIM-LIM-8'], response), { role: 'user server', playedBy: 'target', actor: 'US' })
  t.same(attribute(regionsOnly, send, ['GRIDIM-LIM-8'], response), { role: 'user server', playedBy: 'runner', actor: 'US' })
  t.same(attribute(regionsOnly, send, ['GRIDIM-OFFL-1'], { kind: 'event', for: 'B', type: 'instantMessage' }), { role: 'user server', playedBy: 'runner', actor: 'US' })
  t.same(attribute(regionsOnly, send, ['GRIDIM-SIGN-1'], { kind: 'state', of: 'A', match: {} }), { role: 'user server', playedBy: 'runner', actor: 'US' })
})

t.test('a region rule judges the region observed, the runner\'s when simulated', async (t) => {
  t.same(attribute(regionsOnly, send, ['GRIDIM-IM-9'], response), { role: 'region', playedBy: 'target', actor: 'R1' }, 'the region that answered A\'s client')
  t.same(attribute(regionsOnly, send, ['GRIDIM-CLI-6'], { kind: 'event', for: 'B', type: 'instantMessage' }), { role: 'client interface', playedBy: 'target', actor: 'R2' }, 'B\'s region delivered the event')
  const toRx = step({ actor: 'RX', do: { call: 'deliverInstantMessage', as: 'R1', args: { to: 'RX' } } })
  t.same(attribute(grid, toRx, ['GRIDIM-IM-9'], response), { role: 'region', playedBy: 'runner', actor: 'RX' }, 'a simulated region is the runner\'s')
  t.same(attribute(grid, step({}), ['GRIDIM-IM-9'], { kind: 'exchange', operation: 'deliverInstantMessage', from: 'RX', to: 'R2' }), { role: 'region', playedBy: 'runner', actor: 'RX' })
  t.same(attribute(grid, step({}), ['GRIDIM-IM-9'], { kind: 'exchange', operation: 'deliverInstantMessage', from: 'R1', to: 'RX' }), { role: 'region', playedBy: 'target', actor: 'R1' }, 'the sender of an exchange')
  t.same(attribute(grid, step({ actor: 'R2' }), ['GRIDIM-IM-9'], { kind: 'state', of: 'A', match: {} }), { role: 'region', playedBy: 'target', actor: 'R2' }, 'seen at the user server, done by the step\'s actor')
  // x-handover-bound-to-session 14: RX repeats a hand-over to R2; E's state shows what R2 did.
  const repeat = step({ actor: 'RX', do: { call: 'acceptAgent', as: 'RX', args: { to: 'R2' } } })
  t.same(attribute(grid, repeat, ['GRIDIM-LOC-18'], { kind: 'state', of: 'A', match: {} }), { role: 'region', playedBy: 'target', actor: 'R2' }, 'seen at the user server, done by the region addressed')
  t.same(attribute(grid, step({ do: { call: 'getRegionStatus', args: { to: 'GW' } } }), ['GRIDIM-ROLE-7'], response), { role: 'gateway', playedBy: 'target', actor: 'GW' }, 'a region duty the gateway has (GRIDIM-ROLE-4)')
})

t.test('rules of every role take the observed actor; several requirements prefer the one it plays', async (t) => {
  const unsigned = step({ do: { call: 'signOn', args: { signature: 'none' } } })
  t.same(attribute(regionsOnly, unsigned, ['GRIDIM-SEC-3'], response), { role: 'user server', playedBy: 'runner', actor: 'US' })
  const toR2 = step({ do: { call: 'deliverNotices', as: 'RX', args: { to: 'R2', signature: 'stale' } } })
  t.same(attribute(regionsOnly, toR2, ['GRIDIM-SEC-3'], response), { role: 'region', playedBy: 'target', actor: 'R2' })
  t.same(attribute(regionsOnly, toR2, ['GRIDIM-OFFL-1', 'GRIDIM-IM-9'], response), { role: 'region', playedBy: 'target', actor: 'R2', runnerRequirements: ['GRIDIM-OFFL-1'] },
    'the region answered: its rule; the user-server rule is the runner\'s')
  t.same(attribute(grid, toR2, ['GRIDIM-OFFL-1', 'GRIDIM-IM-9'], response), { role: 'region', playedBy: 'target', actor: 'R2' }, 'on a grid both are the target\'s')
  t.same(attribute(grid, toR2, ['GRIDIM-CLI-22', 'GRIDIM-IM-9'], response), { role: 'region', playedBy: 'target', actor: 'R2', runnerRequirements: ['GRIDIM-CLI-22'] }, 'a client rule is the runner\'s clients\'')
  t.same(attribute(regionsOnly, send, ['GRIDIM-ERR-1'], { kind: 'event', for: 'B', type: 'instantMessage' }), { role: 'client interface', playedBy: 'target', actor: 'R2' })
  t.same(attribute(grid, step({ do: { call: 'wait-idle' } }), ['GRIDIM-ERR-1'], response), { role: 'unknown', playedBy: 'target' }, 'a runner action answers for no role')
})

t.test('stanzas judge the gateway; clients are the runner\'s; documented outcomes use the step', async (t) => {
  t.same(attribute(grid, step({ actor: 'D' }), ['GRIDIM-ERR-1'], { kind: 'stanza', for: 'D', stanza: 'message' } as Expectation), { role: 'gateway', playedBy: 'target', actor: 'GW' })
  t.same(attribute(grid, step({ do: { send: 'message', as: 'D' } } as Partial<Step>), ['GRIDIM-XMPP-27'], response), { role: 'gateway', playedBy: 'target', actor: 'GW' })
  t.same(attribute(grid, step({ do: { call: 'signOn', as: 'D' } }), ['GRIDIM-XMPP-6'], undefined), { role: 'gateway', playedBy: 'target', actor: 'GW' })
  t.same(attribute(grid, step({}), ['GRIDIM-CLI-22'], undefined), { role: 'client', playedBy: 'runner', actor: 'A' })
  t.same(attribute(grid, step({ actor: 'US' }), ['GRIDIM-OFFL-1'], undefined), { role: 'user server', playedBy: 'target', actor: 'US' })
  t.same(attribute(grid, step({ do: { call: 'adminGetUser' } }), ['GRIDIM-SEC-3'], response), { role: 'user server', playedBy: 'target', actor: 'US' })
  t.same(attribute(grid, step({ do: { call: 'killRegion' } }), ['GRIDIM-SEC-3'], response), { role: 'unknown', playedBy: 'target' }, 'nothing observed, no role named')
  t.same(attribute(grid, step({ do: { call: 'clientLogin', args: { at: 'R2' } } }), ['GRIDIM-SEC-3'], response), { role: 'region', playedBy: 'target', actor: 'R2' }, 'a client call `at` a region')
  t.same(attribute(grid, step({ do: { call: 'clientLogout' } }), ['GRIDIM-CLI-4'], response), { role: 'client interface', playedBy: 'target' }, 'a client call without `as`: no region observed')
})

t.test('the user server a flow names is the one; a flow of simulated regions only is the runner\'s', async (t) => {
  const onlySimulated: AttributionScope = { flow: { actors: { RX: { kind: 'region', simulated: true }, US: { kind: 'user-server' } } }, playsUserServer: false }
  t.same(attribute(onlySimulated, step({ actor: 'US' }), ['GRIDIM-IM-9'], undefined), { role: 'region', playedBy: 'runner' })
  const noUs: AttributionScope = { flow: { actors: { A: { kind: 'user', at: 'GW' }, GW: { kind: 'gateway', simulated: true } } }, playsUserServer: false }
  t.same(attribute(noUs, step({}), ['GRIDIM-OFFL-1'], undefined), { role: 'user server', playedBy: 'target', actor: 'US' })
  t.same(attribute(noUs, step({}), ['GRIDIM-CLI-6'], { kind: 'event', for: 'A', type: 'instantMessage' }), { role: 'client interface', playedBy: 'runner', actor: 'GW' }, 'a simulated gateway')
  t.same(observedActor(noUs, step({}), { kind: 'event', for: 'nobody', type: 'instantMessage' }), undefined)
})

t.test('gateway operations, events for a role, a user server by another name', async (t) => {
  t.same(attribute(grid, step({ do: { call: 'boshRequest' } }), ['GRIDIM-SEC-3'], response), { role: 'gateway', playedBy: 'target', actor: 'GW' }, 'an operation of gateway.yaml')
  t.equal(observedActor(grid, step({}), { kind: 'event', for: 'R2', type: 'instantMessage' }), 'R2', 'a role named as `for` is itself')
  const named: AttributionScope = { flow: { actors: { A: { kind: 'user', at: 'R1' }, R1: { kind: 'region' }, Users: { kind: 'user-server' } } }, playsUserServer: true }
  t.same(attribute(named, step({ actor: 'Users' }), ['GRIDIM-SEC-3'], undefined), { role: 'user server', playedBy: 'runner', actor: 'Users' })
  t.same(attribute(named, step({ do: { call: 'signOn', as: 'R1' } }), ['GRIDIM-OFFL-1'], response), { role: 'user server', playedBy: 'runner', actor: 'Users' })
  t.same(attribute(named, step({ do: { call: 'noSuchOperation' } }), ['GRIDIM-SEC-3'], response), { role: 'unknown', playedBy: 'target' }, 'an operation no document has')
})

t.test('a probe of several roles at once is the first target\'s among them', async (t) => {
  const probe = (roles: unknown[]): Step => step({ do: { call: 'probe-slow-clients', args: { roles } } })
  t.same(attribute(grid, probe(['US', 'R1']), ['GRIDIM-LIM-17'], response), { role: 'user server', playedBy: 'target', actor: 'US' })
  t.same(attribute(regionsOnly, probe(['US', 'R1']), ['GRIDIM-LIM-17'], response), { role: 'region', playedBy: 'target', actor: 'R1' })
  t.same(attribute(regionsOnly, probe(['US', 'RX', 7]), ['GRIDIM-LIM-17'], response), { role: 'user server', playedBy: 'runner', actor: 'US' }, 'all the runner\'s')
  t.same(attribute(regionsOnly, probe([]), ['GRIDIM-LIM-17'], response), { role: 'unknown', playedBy: 'target' })
})

t.test('a message that broke the contract is its sender\'s or answerer\'s', async (t) => {
  t.same(attributeActor(regionsOnly, 'R1'), { role: 'region', playedBy: 'target', actor: 'R1' })
  t.same(attributeActor(regionsOnly, 'US'), { role: 'user server', playedBy: 'runner', actor: 'US' })
  t.same(attributeActor(grid, 'GW'), { role: 'gateway', playedBy: 'target', actor: 'GW' })
  t.same(attributeActor({ flow: { actors: {} }, playsUserServer: false }, 'GW'), { role: 'gateway', playedBy: 'target', actor: 'GW' }, 'the target\'s gateway outside the flow')
  t.same(attributeActor(grid, 'Region 3'), { role: 'region', playedBy: 'target', actor: 'Region 3' }, 'a target region outside the flow')
  t.same(attributeActor(grid, 'A'), { role: 'unknown', playedBy: 'target', actor: 'A' })
})

t.test('an awaited answer is the answer of the step that started the request', async (t) => {
  const poll = step({ id: '2', do: { call: 'clientListEvents', as: 'B', args: { wait: 10 }, start: 'poll' } })
  const awaited = step({ id: '3', do: { call: 'await', args: { started: 'poll' } } })
  const stray = step({ id: '4', do: { call: 'await', args: { started: 'never' } } })
  const scope: AttributionScope = { flow: { ...flow, steps: [poll, awaited, stray] }, playsUserServer: false }
  t.equal(observedActor(scope, awaited, response), 'R2', "B's poll was answered by B's region")
  t.equal(observedActor(scope, stray, response), undefined, 'an await of a request no step started names nobody')
  t.equal(observedActor(grid, awaited, response), undefined, 'nor does one when the steps are unknown')
})

t.test('a burst is answered by whoever answers the operation it repeats', async (t) => {
  const friends = step({ do: { call: 'burst', as: 'A', args: { operation: 'clientListFriends', count: 10, perSecond: 10 } } })
  const region = step({ do: { call: 'burst', as: 'RX', args: { operation: 'getRegion', count: 10, perSecond: 10, args: { regionId: 'r' } } } })
  t.equal(observedActor(grid, friends, response), 'R1', "A's region")
  t.equal(observedActor(grid, region, response), 'US', 'the user server')
})
