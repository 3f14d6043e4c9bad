#!/usr/bin/env node
// `gridim-conformance`: the conformance runner (conformance/cli/main.ts).
import { launch } from './launch.js'
await launch(new URL('../../conformance/cli/main', import.meta.url))
