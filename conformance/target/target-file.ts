// A target file (YAML or JSON) names the roles under test of another implementation. Either a
// whole grid, whose user server the runner talks to:
//
//   name: my grid
//   userServer: { url: http://127.0.0.1:8000, adminToken: secret }
//   regions: [{ name: R1, url: http://127.0.0.1:8001 }, { name: R2, url: ... }, { name: R3, url: ... }]
//   gateway: …, jabberServer: …          # the XMPP sections (xmpp-sections.ts)
//   capabilities: [admin-settings]       # optional abilities it offers
//   expectedFailures: [{ flow: x-some-flow, reason: not yet }]
//
// or regions only, for which the runner plays the user server itself (regions-target.ts):
//
//   name: my region
//   userServer: { simulated: true, port: 0, leaseSeconds: 5 }   # the default when userServer is absent
//   regions:
//     - name: Region 1
//       command: my-region --user-server {userServerUrl} --region-id {regionId} --key-file {keyFile} --port {port}
//   startTimeoutSeconds: 30
//
// conformance/README.md describes both, and the placeholders of a command.
import { readFileSync } from 'node:fs'
import { parseYaml } from '../../reference/lib/read-yaml.ts'
import type { ExpectedFailure } from '../runner/run-suite.ts'
import { placeholdersOf } from './region-process.ts'
import { startRegionsTarget, type RegionUnderTest } from './regions-target.ts'
import { BATCHING_SENDER_MISSING, type Target } from './target.ts'
import { notControlled, xmppTarget, type JabberServerSection } from './xmpp-sections.ts'

export type TargetFile = {
  name?: string
  userServer?: { url: string, adminToken: string } | { simulated: true, port?: number, leaseSeconds?: number }
  regions: Array<{ name?: string, url?: string, regionId?: string } & RegionUnderTest>
  gateway?: { url: string, domain: string }
  jabberServer?: JabberServerSection
  capabilities?: string[]
  expectedFailures?: ExpectedFailure[]
  startTimeoutSeconds?: number
}

function regionsOnly (file: string, data: TargetFile): RegionUnderTest[] {
  if (data.gateway) throw new Error(`${file}: a gateway needs a user server under test; with a simulated one, name regions only`)
  return data.regions.map((r, i) => {
    const where = `${file}: regions[${i}]`
    if (r.url !== undefined) throw new Error(`${where}: with a simulated user server a region's URL comes from its lease; give a command (or nothing, and start it yourself)`)
    if (r.command !== undefined && !(typeof r.command === 'string' || (Array.isArray(r.command) && r.command.every((p) => typeof p === 'string')))) {
      throw new Error(`${where}: command is a command line or a list of arguments`)
    }
    try { if (r.command !== undefined) placeholdersOf(r.command) } catch (err) { throw new Error(`${where}: ${(err as Error).message}`) }
    if (r.publicKey !== undefined && r.command !== undefined && placeholdersOf(r.command).includes('keyFile')) {
      throw new Error(`${where}: {keyFile} is only offered when the runner makes the region's keys (no publicKey)`)
    }
    return { name: r.name, regionId: r.regionId, publicKey: r.publicKey, command: r.command }
  })
}

const LINK_FAULTS_MISSING = 'the roles of a grid under test know one another by URLs the runner does not choose, so it cannot stand between them; a regions-only target (userServer: { simulated: true }) or the embedded grid can'

export async function loadTargetFile (file: string): Promise<{ target: Target, expectedFailures: ExpectedFailure[] }> {
  const data = parseYaml(readFileSync(file, 'utf8'), file) as TargetFile
  if (!Array.isArray(data?.regions) || data.regions.length === 0) throw new Error(`${file}: at least one region is required`)
  const expectedFailures = data.expectedFailures ?? []
  const us = data.userServer
  if (us === undefined || ('simulated' in us && us.simulated === true)) {
    const target = await startRegionsTarget({
      name: data.name ?? file,
      regions: regionsOnly(file, data),
      userServerPort: us?.port,
      leaseSeconds: us?.leaseSeconds,
      declared: data.capabilities,
      startTimeoutMs: data.startTimeoutSeconds === undefined ? undefined : data.startTimeoutSeconds * 1000
    })
    return { target, expectedFailures }
  }
  if (!('url' in us) || !us.url || !us.adminToken) throw new Error(`${file}: userServer.url and userServer.adminToken are required (or userServer: { simulated: true })`)
  const missing = data.regions.findIndex((r) => !r.url)
  if (missing >= 0) throw new Error(`${file}: regions[${missing}].url is required when the user server is under test`)
  const { close, ...xmpp } = await xmppTarget(file, data)
  return {
    target: {
      name: data.name ?? file,
      userServerUrl: us.url,
      adminToken: us.adminToken,
      regions: data.regions.map((r, i) => ({ name: r.name ?? `R${i + 1}`, url: r.url!, regionId: r.regionId })),
      ...xmpp,
      capabilities: new Set([...(data.capabilities ?? []).filter((c) => c !== 'link-faults'), ...xmpp.capabilities]),
      missing: {
        // Issue 14: the runner's proxies stand only where it chooses the URLs roles know one another by.
        'link-faults': LINK_FAULTS_MISSING,
        ...(data.capabilities?.includes('batching-sender') === true ? {} : { 'batching-sender': BATCHING_SENDER_MISSING }),
        ...(xmpp.jabberServer !== undefined && xmpp.jabberServer.link === undefined ? { 'control-jabber-server': notControlled(xmpp.jabberServer.kind) } : {}),
        ...(xmpp.gateway === undefined ? {} : { 'restart-gateway': 'the gateway of a target file runs on its own: the runner cannot stop and start it' })
      },
      close
    },
    expectedFailures
  }
}
