#!/usr/bin/env node
// Thin shim: all logic lives in src/cli so it can be tested without spawning.
const { main, exitProcess } = await import('../dist/src/cli/connect-standalone.js')
// Exit explicitly: a plugin that ignored stop() may still hold timers or sockets, and shutdown has already
// flushed everything that can be flushed. exitProcess, not process.exit: the latter waits for every threadpool
// thread, and one may be stuck in a Kafka client's close while the broker is away.
await exitProcess(await main(process.argv))
