#!/usr/bin/env node
// `gridim`: the reference grid's command line (reference/cli/main.ts).
import { launch } from './launch.js'
await launch(new URL('../../reference/cli/main', import.meta.url))
