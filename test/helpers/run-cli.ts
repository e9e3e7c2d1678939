// Entry used by tests to run the CLI from the TypeScript sources (no build step needed).
import { exitProcess, main } from '../../src/cli/connect-standalone.ts'

// Exit explicitly, as bin/connect-standalone.js does: a plugin that ignored stop() may still hold timers or sockets,
// and a Kafka client's close may still block a threadpool thread, which process.exit would wait for.
await exitProcess(await main(process.argv))
