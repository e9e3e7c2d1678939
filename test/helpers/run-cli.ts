// Entry used by tests to run the CLI from the TypeScript sources (no build step needed).
import { main } from '../../src/cli/connect-standalone.ts'

process.exitCode = await main(process.argv)
