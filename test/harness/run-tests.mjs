// `npm test`: starts one real Apache Kafka broker, runs the test files with node's test runner against it (one file
// at a time, KAFKA_BOOTSTRAP_SERVERS set), stops the broker and exits with the test runner's code.
//
//   npm test                               every test/**/*.test.ts
//   npm test -- test/config test/cli/x.test.ts    only files under these paths
//   npm test -- --test-name-pattern=offsets       options starting with '-' go to `node --test`
//
// With KAFKA_BOOTSTRAP_SERVERS already set, that broker is used and none is started.
//
// When a selected test file (or a local helper it imports) names SCHEMA_REGISTRY_URL, schemaRegistryUrl or
// schemaRegistryCcompatUrl, a real Schema Registry (Apicurio Registry, test/harness/schema-registry.mjs) is started
// next to the broker and its base URL passed in SCHEMA_REGISTRY_URL; one already set there is used instead. Likewise a
// file naming POSTGRES_URL or postgresUrl gets a real PostgreSQL server (test/harness/postgres.mjs) in POSTGRES_URL.
import { spawn } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { startKafkaBroker } from './kafka-broker.mjs'
import { CACHE_DIR, ROOT, resolveKafkaClasspath } from './resolve-kafka.mjs'
import { startPostgres } from './postgres.mjs'
import { startSchemaRegistry } from './schema-registry.mjs'

function log (message) {
  process.stderr.write(`[run-tests] ${message}\n`)
}

function findTestFiles (dir) {
  const out = []
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name)
    if (entry.isDirectory()) out.push(...findTestFiles(full))
    else if (entry.isFile() && entry.name.endsWith('.test.ts')) out.push(relative(ROOT, full))
  }
  return out
}

const args = process.argv.slice(2)
const runnerOptions = args.filter(a => a.startsWith('-'))
const filters = args.filter(a => !a.startsWith('-')).map(a => relative(ROOT, resolve(a)))
for (const f of filters) {
  if (!existsSync(join(ROOT, f))) {
    log(`no such file or directory: ${f}`)
    process.exit(2)
  }
}
// Plain string order, not locale order, so the file order is the same on every machine.
const files = findTestFiles(join(ROOT, 'test'))
  .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  .filter(f => filters.length === 0 || filters.some(p => p === '' || f === p || f.startsWith(p + sep)))
if (files.length === 0) {
  log(`no test files (*.test.ts) under ${filters.join(' ')}`)
  process.exit(2)
}

const NEEDS_REGISTRY = /SCHEMA_REGISTRY_URL|schemaRegistryUrl|schemaRegistryCcompatUrl/
const NEEDS_POSTGRES = /POSTGRES_URL|postgresUrl/
const IMPORT = /(?:from|import)\s*\(?\s*'(\.[^']+)'/g
const HARNESS = join(ROOT, 'test', 'harness') + sep
/** Whether `file` or a local test helper it imports (transitively) names `pattern` (a shared server it uses). */
function uses (pattern, file, scanned = new Map()) {
  if (scanned.has(file)) return scanned.get(file)
  scanned.set(file, false)
  let text
  try { text = readFileSync(file, 'utf8') } catch { return false }
  let result = pattern.test(text)
  for (const m of text.matchAll(IMPORT)) {
    if (result) break
    const target = resolve(dirname(file), m[1])
    // The harness defines these names (it does not use the shared servers); helpers under test/ may use them.
    if (relative(ROOT, target).startsWith('test') && !target.startsWith(HARNESS)) result = uses(pattern, target, scanned)
  }
  scanned.set(file, result)
  return result
}
const registryScan = new Map()
const postgresScan = new Map()
const needsRegistry = file => uses(NEEDS_REGISTRY, file, registryScan)
const needsPostgres = file => uses(NEEDS_POSTGRES, file, postgresScan)

let broker = null
let registry = null
let postgres = null
let child = null
let signalled = null
let testsDone = false

async function shutdown (code) {
  if (registry) await registry.stop()
  if (postgres) await postgres.stop()
  if (broker) {
    const started = Date.now()
    await broker.stop()
    log(`broker stopped in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  }
  process.exit(code)
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (signalled) {
      // A second signal: stop waiting for the tests (or the broker's start) to wind down.
      if (child) child.kill('SIGKILL')
      else process.exit(signal === 'SIGINT' ? 130 : 143)
      return
    }
    signalled = signal
    log(`${signal}: stopping the tests and the broker`)
    // Before the tests start, the broker's start-up finishes first and is then stopped cleanly (see below).
    if (child) child.kill(signal)
  })
}

let registryUrl = process.env.SCHEMA_REGISTRY_URL
const registryWanted = !registryUrl && files.some(f => needsRegistry(join(ROOT, f)))
if (registryUrl) log(`using the Schema Registry at SCHEMA_REGISTRY_URL=${registryUrl}`)
// Started while the broker starts; its failure is reported once the broker's start has settled.
const registryStart = registryWanted ? startSchemaRegistry().then(r => { registry = r }, err => err) : Promise.resolve(null)
let postgresUrl = process.env.POSTGRES_URL
const postgresWanted = !postgresUrl && files.some(f => needsPostgres(join(ROOT, f)))
if (postgresUrl) log('using the PostgreSQL server at POSTGRES_URL')
const postgresStart = postgresWanted ? startPostgres().then(p => { postgres = p }, err => err) : Promise.resolve(null)

let bootstrap = process.env.KAFKA_BOOTSTRAP_SERVERS
if (bootstrap) {
  log(`using the broker at KAFKA_BOOTSTRAP_SERVERS=${bootstrap}`)
} else {
  try {
    resolveKafkaClasspath()
    broker = await startKafkaBroker()
  } catch (err) {
    log(`could not start Apache Kafka: ${err instanceof Error ? err.message : String(err)}`)
    await Promise.all([registryStart, postgresStart])
    if (registry) await registry.stop()
    if (postgres) await postgres.stop()
    process.exit(1)
  }
  bootstrap = broker.bootstrapServers
  void broker.exited.then(({ code, signal }) => {
    if (!signalled && !testsDone && child) log(`the Kafka broker exited during the tests (code ${code}, signal ${signal}); its log is in ${broker.logDir}`)
  })
}

const registryError = await registryStart
if (registryError) {
  log(`could not start the Schema Registry: ${registryError instanceof Error ? registryError.message : String(registryError)}`)
  await shutdown(1)
}
if (registry) {
  registryUrl = registry.url
  void registry.exited.then(({ code, signal }) => {
    if (!signalled && !testsDone && child) log(`the Schema Registry exited during the tests (code ${code}, signal ${signal}); its log is ${registry.logFile}`)
  })
}

const postgresError = await postgresStart
if (postgresError) {
  log(`could not start PostgreSQL: ${postgresError instanceof Error ? postgresError.message : String(postgresError)}`)
  await shutdown(1)
}
if (postgres) postgresUrl = postgres.connectionString

if (signalled) await shutdown(signalled === 'SIGINT' ? 130 : 143)

log(`${files.length} test file${files.length === 1 ? '' : 's'} against Kafka at ${bootstrap}${registryUrl ? ` and the Schema Registry at ${registryUrl}` : ''}`)
const started = Date.now()
child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-timeout=300000', ...runnerOptions, ...files], {
  cwd: ROOT,
  stdio: 'inherit',
  env: { ...process.env, KAFKA_BOOTSTRAP_SERVERS: bootstrap, ...(registryUrl ? { SCHEMA_REGISTRY_URL: registryUrl } : {}), ...(postgresUrl ? { POSTGRES_URL: postgresUrl } : {}) }
})
const code = await new Promise(resolve => {
  child.once('error', err => { log(`could not run node --test: ${err.message}`); resolve(1) })
  child.once('exit', (exitCode, signal) => resolve(exitCode ?? (signal === 'SIGINT' ? 130 : signal ? 143 : 1)))
})
testsDone = true
log(`tests finished in ${((Date.now() - started) / 1000).toFixed(1)} s with exit code ${code}`)
if (code !== 0 && broker && !signalled) {
  // The broker's directory goes away with it; keep its log for whoever reads the failure.
  try {
    mkdirSync(CACHE_DIR, { recursive: true })
    copyFileSync(join(broker.logDir, 'server.log'), join(CACHE_DIR, 'last-failed-run-server.log'))
    log(`broker log kept in ${relative(ROOT, join(CACHE_DIR, 'last-failed-run-server.log'))}`)
  } catch {}
}
// Interrupted runs report the signal, whatever the test runner made of it.
await shutdown(signalled ? (signalled === 'SIGINT' ? 130 : 143) : code)
