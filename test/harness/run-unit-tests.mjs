// `npm run test:unit`: the tests that need no broker, for a quick loop while editing (`npm test` runs everything,
// with the real broker). A test file needs the broker when it, or a local helper it imports, reads
// KAFKA_BOOTSTRAP_SERVERS or starts a broker or an Apache worker, or uses the Schema Registry; such files are left out
// and counted.
import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
const NEEDS_BROKER = /KAFKA_BOOTSTRAP_SERVERS|startKafkaBroker|startApacheConnect|harness\/kafka(\.ts|-broker)|harness\/apache-connect|SCHEMA_REGISTRY_URL|schemaRegistry(Ccompat)?Url|startSchemaRegistry|harness\/schema-registry/
const IMPORT = /(?:from|import)\s*\(?\s*'(\.[^']+)'/g

function testFiles (dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap(e => {
    const p = join(dir, e.name)
    if (e.isDirectory()) return testFiles(p)
    return e.name.endsWith('.test.ts') ? [p] : []
  })
}

const seen = new Map()
/** Whether `file` or a local module it imports (transitively) names the broker. */
function needsBroker (file) {
  if (seen.has(file)) return seen.get(file)
  seen.set(file, false)
  let text
  try { text = readFileSync(file, 'utf8') } catch { return false }
  let result = NEEDS_BROKER.test(text)
  for (const m of text.matchAll(IMPORT)) {
    if (result) break
    const target = resolve(dirname(file), m[1])
    if (relative(ROOT, target).startsWith('test')) result = needsBroker(target)
  }
  seen.set(file, result)
  return result
}

const all = testFiles(join(ROOT, 'test')).sort()
const unit = all.filter(f => !needsBroker(f))
process.stderr.write(`[run-unit-tests] ${unit.length} test files need no broker; ${all.length - unit.length} that do are left to npm test\n`)
const run = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...unit.map(f => relative(ROOT, f))], { cwd: ROOT, stdio: 'inherit' })
process.exit(run.status ?? 1)
