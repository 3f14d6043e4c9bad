// A target file (YAML or JSON) names the roles under test of another implementation:
//
//   name: my grid
//   userServer: { url: http://127.0.0.1:8000, adminToken: secret }
//   regions: [{ name: R1, url: http://127.0.0.1:8001 }, { name: R2, url: ... }, { name: R3, url: ... }]
//   gateway: …, jabberServer: …          # the XMPP sections (xmpp-sections.ts)
//   capabilities: [admin-settings]       # optional abilities it offers
//   expectedFailures: [{ flow: x-some-flow, reason: not yet }]
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import type { ExpectedFailure } from '../runner/run-suite.ts'
import type { Target } from './target.ts'
import { xmppTarget, type JabberServerSection } from './xmpp-sections.ts'

export type TargetFile = {
  name?: string
  userServer: { url: string, adminToken: string }
  regions: Array<{ name?: string, url: string, regionId?: string }>
  gateway?: { url: string, domain: string }
  jabberServer?: JabberServerSection
  capabilities?: string[]
  expectedFailures?: ExpectedFailure[]
}

export function loadTargetFile (file: string): { target: Target, expectedFailures: ExpectedFailure[] } {
  const data = parse(readFileSync(file, 'utf8')) as TargetFile
  if (!data?.userServer?.url || !data.userServer.adminToken) throw new Error(`${file}: userServer.url and userServer.adminToken are required`)
  if (!Array.isArray(data.regions) || data.regions.length === 0) throw new Error(`${file}: at least one region is required`)
  const xmpp = xmppTarget(file, data)
  return {
    target: {
      name: data.name ?? file,
      userServerUrl: data.userServer.url,
      adminToken: data.userServer.adminToken,
      regions: data.regions.map((r, i) => ({ name: r.name ?? `R${i + 1}`, url: r.url, regionId: r.regionId })),
      ...xmpp,
      capabilities: new Set([...(data.capabilities ?? []), ...xmpp.capabilities]),
      close: async () => {}
    },
    expectedFailures: data.expectedFailures ?? []
  }
}
