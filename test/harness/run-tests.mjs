// `npm test`: starts one real Kafka broker, runs every test file with node's test runner against it, stops it.
// Extra arguments select test files by path prefix: `npm test -- test/config test/cli/connect-standalone.test.ts`.
import { spawn } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startKafkaBroker } from './kafka-broker.mjs'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

function findTests (dir) {
  const out = []
  for (const name of readdirSync(dir)) {
    const full = join(dir, name)
    if (statSync(full).isDirectory()) out.push(...findTests(full))
    else if (name.endsWith('.test.ts')) out.push(relative(ROOT, full))
  }
  return out
}

const filters = process.argv.slice(2)
const files = findTests(join(ROOT, 'test')).sort().filter(f => filters.length === 0 || filters.some(p => f.startsWith(p.replace(/^\.\//, ''))))
if (files.length === 0) {
  process.stderr.write(`No test files match ${filters.join(' ')}\n`)
  process.exit(1)
}

let broker = null
let bootstrap = process.env.KAFKA_BOOTSTRAP_SERVERS
if (!bootstrap) {
  broker = await startKafkaBroker()
  bootstrap = broker.bootstrapServers
}

const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=600000', ...files], {
  cwd: ROOT,
  stdio: 'inherit',
  env: { ...process.env, KAFKA_BOOTSTRAP_SERVERS: bootstrap }
})
const stop = async (signal) => {
  child.kill(signal)
}
process.on('SIGINT', () => { void stop('SIGINT') })
process.on('SIGTERM', () => { void stop('SIGTERM') })
const code = await new Promise(resolve => child.on('exit', (c, s) => resolve(c ?? (s ? 1 : 0))))
await broker?.stop()
process.exit(code)
