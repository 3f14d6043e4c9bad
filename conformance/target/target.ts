// What the runner tests: a Target names the roles under test (their URLs) and what the runner
// may do to them. The embedded reference grid is one Target; a target file describes another.
import type { ObservedExchange } from '../../reference/lib/http/index.ts'

export type RegionEndpoint = { name: string, regionId?: string, url: string }

export type Target = {
  name: string
  userServerUrl: string
  adminToken: string
  regions: RegionEndpoint[]
  /** The runner plays the user server itself (a target of regions only); it is not under test. */
  playsUserServer?: boolean
  gateway?: { url: string, domain: string }
  /** Optional abilities; a flow that needs a missing one is reported as impossible. */
  capabilities: Set<string>
  /** Crash a region without a graceful sign-off (capability kill-region). */
  killRegion?: (index: number) => Promise<void>
  /** Start a killed region again, same identity and address, so later flows have it. */
  reviveRegion?: (index: number) => Promise<void>
  /** Stop and start the user server on the same address (capability restart-user-server). */
  restartUserServer?: () => Promise<void>
  /** Watch service-to-service traffic (capability observe-traffic): returns the stop function. */
  observe?: (observer: (exchange: ObservedExchange) => void) => () => void
  /** Whether observe sees traffic from one role of a flow (US, R1, ...) to another; default all of it. */
  observes?: (from: string, to: string) => boolean
  /** key id (`user-server` or a regionId) → the role's URL, to name the sender of an exchange. */
  keyIdUrl?: (keyId: string) => string | undefined
  close: () => Promise<void>
}
