#!/usr/bin/env node
// Thin shim: all logic lives in src/cli so it can be tested without spawning.
const { main } = await import('../dist/src/cli/connect-standalone.js')
// Exit explicitly: a plugin that ignored stop() may still hold timers or sockets, and shutdown has already
// flushed everything that can be flushed.
process.exit(await main(process.argv))
