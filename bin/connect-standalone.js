#!/usr/bin/env node
// Thin shim: all logic lives in src/cli so it can be tested without spawning.
const { main } = await import('../dist/src/cli/connect-standalone.js')
process.exitCode = await main(process.argv)
