#!/usr/bin/env node
// `gridim`: the reference grid's command line. The sources are TypeScript run through tsx.
import { register } from 'tsx/esm/api'
register()
await import('../../reference/cli/main.ts')
