// Entry used by tests to run the CLI from the TypeScript sources (no build step needed).
import { main } from '../../src/cli/connect-standalone.ts'

// Exit explicitly: a plugin that ignored stop() may still hold timers or sockets, and shutdown has already
// flushed everything that can be flushed.
process.exit(await main(process.argv))
