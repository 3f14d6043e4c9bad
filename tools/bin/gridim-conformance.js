#!/usr/bin/env node
// `gridim-conformance`: the conformance runner. The sources are TypeScript run through tsx.
import { register } from 'tsx/esm/api'
register()
await import('../../conformance/cli/main.ts')
