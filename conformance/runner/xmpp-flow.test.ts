// The runner catches a gateway that breaks the stanza mapping: a flow replayed against a fake
// gateway (an XEP-0114 component on a real Prosody) that answers a chat message with a chat
// message carrying no id. The stanza fails its schema check under GRIDIM-XMPP-27, the stanza
// expectation fails naming the near miss, and the trace shows the stanzas.
import t from 'tap'
import { Element } from 'ltx'
import type { Flow } from '../../spec/flows/schema.ts'
import { skipXmppServers, startProsody } from '../../tools/xmpp-servers/index.ts'
import { Component } from '../../reference/xmpp/component/index.ts'
import type { Target } from '../target/target.ts'
import { runFlow } from './run-flow.ts'

const skip = skipXmppServers()
const GW = 'grid.localhost'

const flow: Flow = {
  id: 'fake-gateway',
  title: 'A chat message through a gateway that drops ids',
  source: { kind: 'expected', ref: 'test' },
  summary: 'D writes to an address at the gateway domain; the gateway answers without a stanza id.',
  needs: ['xmpp', 'gateway', 'jabber-server'],
  actors: {
    D: { kind: 'xmpp-user', at: 'J' },
    GW: { kind: 'gateway' },
    J: { kind: 'jabber-server' }
  },
  setup: { signedOn: ['D'] },
  steps: [{
    id: '1',
    actor: 'D',
    action: 'D writes to ada.lovelace at the gateway domain.',
    do: { send: 'chat-message', as: 'D', args: { to: `ada.lovelace@$GW.domain`, id: 'c1', body: 'Hello A' } },
    outcomes: [
      { text: 'D gets an answer from A.', requirements: ['GRIDIM-XMPP-27'], expect: { kind: 'stanza', for: 'D', stanza: 'chat-message', match: { from: `ada.lovelace@${GW}/grid` } } },
      { text: 'No error comes back.', requirements: ['GRIDIM-XMPP-30'], expect: { kind: 'no-stanza', for: 'D', stanza: 'message-error' } }
    ]
  }]
}

t.test('a stanza breaking its schema fails a check under the requirement it is sent by', { skip }, async (t) => {
  const server = await startProsody({ components: [{ domain: GW, secret: 'fake' }] })
  t.teardown(() => server.stop())
  const gateway = new Component({ host: '127.0.0.1', port: server.componentPort, domain: GW, secret: 'fake', serverDomain: server.domain })
  t.teardown(() => gateway.stop())
  await gateway.start()
  const presences: Element[] = []
  gateway.on('stanza', (el) => {
    if (el.name === 'presence') presences.push(el)
    // The bug: the answer has no id (GRIDIM-XMPP-27 says the id is the messageId).
    if (el.name === 'message') gateway.send(new Element('message', { type: 'chat', from: `${el.attrs.to}/grid`, to: el.attrs.from }).c('body').t('Hi D').up())
  })
  const target: Target = {
    name: 'a fake gateway',
    userServerUrl: 'http://127.0.0.1:9',
    adminToken: 'unused',
    regions: [],
    gateway: { url: 'http://127.0.0.1:9', domain: GW },
    jabberServer: {
      kind: 'prosody',
      host: '127.0.0.1',
      port: server.c2sPort,
      domain: server.domain,
      createAccount: async () => { await server.register({ user: 'dana', password: 'dana-pw' }); return { user: 'dana', password: 'dana-pw' } }
    },
    capabilities: new Set(['xmpp', 'gateway', 'jabber-server']),
    close: async () => {}
  }

  const result = await runFlow({ file: 'fake-gateway.yaml', flow }, target, { eventTimeoutMs: 1500 })
  const byOutcome = Object.fromEntries(result.checks.map((c) => [c.outcome, c]))
  t.equal(byOutcome['No error comes back.']?.status, 'pass')
  const answer = byOutcome['D gets an answer from A.']
  t.equal(answer?.status, 'fail', 'the answer without id meets no chat-message expectation')
  t.match(answer?.message, /D received no chat-message matching .*near misses: chat-message breaking its schema \(urn:gridim:stanza:chat-message: bad-request: this <message\/> needs an id\)/)
  const violation = result.checks.find((c) => c.outcome === 'every stanza the gateway sends conforms to chat-message')
  t.match(violation, { step: '1', status: 'fail', requirements: ['GRIDIM-XMPP-27'] }, 'the violation is a failing check of step 1')
  t.match(violation?.message, /^GW sent D a chat-message stanza that breaks its schema: urn:gridim:stanza:chat-message: bad-request: this <message\/> needs an id — <message/)
  t.notOk(presences.some((p) => p.attrs.to === GW), 'D, as an ordinary client, sent the gateway domain no directed presence (GRIDIM-XMPP-47)')
  const stanzas = result.trace.filter((e) => e.kind === 'stanza').map((e) => `${e.from}->${e.to} ${e.operationId}`)
  t.ok(stanzas.includes('D->GW chat-message'), 'the trace has the stanza D sent')
  t.ok(stanzas.includes('GW->D chat-message'), 'and the one it got')
})
