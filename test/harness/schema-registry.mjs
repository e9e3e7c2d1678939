// Starts a real Schema Registry for the tests: Apicurio Registry 2.4.2.Final (built by resolve-schema-registry.mjs),
// serving Confluent's REST API at <url>/apis/ccompat/v7 on a free 127.0.0.1 port. Its data lives in an H2 database
// file in a fresh temporary directory, so restart() keeps every subject, version and id, as a real registry with
// durable storage does after an operator's restart.
//
//   const registry = await startSchemaRegistry()
//   ... registry.ccompatUrl ...  (what `schema.registry.url` names)
//   await registry.stop()
//
// Differences from Confluent's registry that tests must allow for (../shared/reference/schema-registry.md): Apicurio's
// default compatibility is NONE, so the global level is set here (BACKWARD unless told otherwise, Confluent's
// default); an incompatible registration answers 409 with error_code 0 rather than 409.
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort, readTail, spawnGuardedJvm } from './jvm-process.mjs'
import { findJava } from './resolve-classpath.mjs'
import { APICURIO_VERSION, resolveSchemaRegistry } from './resolve-schema-registry.mjs'

export { APICURIO_VERSION }

const CCOMPAT_PATH = '/apis/ccompat/v7'
const APICURIO_PATH = '/apis/registry/v2'
const COMPATIBILITY_LEVELS = ['NONE', 'BACKWARD', 'BACKWARD_TRANSITIVE', 'FORWARD', 'FORWARD_TRANSITIVE', 'FULL', 'FULL_TRANSITIVE']

function log (message) {
  process.stderr.write(`[schema-registry] ${message}\n`)
}

const delay = ms => new Promise(resolve => setTimeout(resolve, ms))
function within (promise, ms) {
  let timer
  return Promise.race([promise, new Promise(resolve => { timer = setTimeout(() => resolve(null), ms) })]).finally(() => clearTimeout(timer))
}

/**
 * One HTTP request without keep-alive (an idle pooled socket would hold the test process open). Resolves
 * { status, body, text }, body being the parsed JSON or null.
 */
export function registryRequest (method, url, body, timeoutMs = 10000) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? null : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body))
    const headers = { accept: 'application/vnd.schemaregistry.v1+json, application/json', connection: 'close' }
    if (payload) Object.assign(headers, { 'content-type': 'application/vnd.schemaregistry.v1+json', 'content-length': payload.length })
    const req = request(url, { method, agent: false, headers, timeout: timeoutMs }, res => {
      const chunks = []
      res.on('data', chunk => chunks.push(chunk))
      res.on('error', reject)
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8')
        let parsed = null
        try { parsed = JSON.parse(text) } catch {}
        resolve({ status: res.statusCode, body: parsed, text })
      })
    })
    req.on('timeout', () => req.destroy(new Error(`${method} ${url}: no answer within ${timeoutMs} ms`)))
    req.on('error', reject)
    req.end(payload ?? undefined)
  })
}

async function isReady (url) {
  try {
    const res = await registryRequest('GET', `${url}/health/ready`, undefined, 2000)
    return res.status === 200
  } catch {
    return false
  }
}

/** Sets the registry's global compatibility level through the Confluent API. */
export async function setGlobalCompatibility (ccompatUrl, level) {
  const res = await registryRequest('PUT', `${ccompatUrl}/config`, { compatibility: level })
  if (res.status === 200) return
  // Apicurio keeps NONE as the absence of its global rule, and refuses to set NONE when there is no rule to change.
  const current = await registryRequest('GET', `${ccompatUrl}/config`)
  if (current.body?.compatibilityLevel !== level) throw new Error(`PUT ${ccompatUrl}/config {"compatibility":"${level}"}: HTTP ${res.status} ${res.text}`)
}

/**
 * Starts the registry and resolves once GET /health/ready answers 200 and the global compatibility is set.
 *
 * options.compatibility  global compatibility level (default 'BACKWARD', Confluent's default; Apicurio's is NONE)
 * options.port           the HTTP port (default: a free one)
 * options.heap           -Xmx (default '128m')
 * options.timeoutMs      how long to wait for readiness (default 60000)
 * options.keepData       keep the data directory (database and log) on stop (also SCHEMA_REGISTRY_KEEP_DATA=1)
 */
export async function startSchemaRegistry (options = {}) {
  const compatibility = options.compatibility ?? 'BACKWARD'
  if (!COMPATIBILITY_LEVELS.includes(compatibility)) throw new Error(`startSchemaRegistry: unknown compatibility ${compatibility}`)
  const jar = resolveSchemaRegistry()
  const java = findJava()
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce({ options, compatibility, jar, java })
    } catch (err) {
      if (!err.portTaken || options.port || attempt >= 3) throw err
      log(`port ${err.port} was taken before the registry bound it; retrying with another`)
    }
  }
}

async function startOnce ({ options, compatibility, jar, java }) {
  const timeoutMs = options.timeoutMs ?? 60000
  const started = Date.now()
  const port = options.port ?? await freePort()
  const dir = mkdtempSync(join(tmpdir(), 'schema-registry-'))
  const logFile = join(dir, 'registry.log')
  const url = `http://127.0.0.1:${port}`
  const keepData = options.keepData || !!process.env.SCHEMA_REGISTRY_KEEP_DATA
  const jvmArgs = [
    `-Xmx${options.heap ?? '128m'}`, '-XX:+UseSerialGC',
    // C1 only: up sooner, and the tests never load it enough to miss C2.
    '-XX:TieredStopAtLevel=1', '-XX:-UsePerfData', '-Djava.awt.headless=true',
    `-XX:ErrorFile=${join(dir, 'hs_err_pid%p.log')}`,
    // Loopback only (Quarkus binds 0.0.0.0:8080 by default).
    '-Dquarkus.http.host=127.0.0.1', `-Dquarkus.http.port=${port}`,
    // An H2 file instead of the default in-memory database: what is registered survives restart().
    `-Dquarkus.datasource.jdbc.url=jdbc:h2:file:${join(dir, 'registry')}`,
    // The app opens 20 pooled connections up front; a test registry needs few.
    '-Dquarkus.datasource.jdbc.initial-size=2', '-Dquarkus.datasource.jdbc.min-size=2',
    '-jar', jar
  ]

  let jvm = null
  let logFrom = 0
  const describe = () => `--- tail of ${logFile} ---\n${readTail(logFile, 40)}`
  const fail = async (message, extra = {}) => {
    if (jvm && !jvm.exit()) {
      jvm.kill()
      await within(jvm.exited, 10000)
    }
    jvm?.release()
    const err = Object.assign(new Error(`${message}\n${describe()}`), extra)
    if (!keepData) rmSync(dir, { recursive: true, force: true })
    return err
  }

  /** Spawns the JVM and waits for readiness; throws (after killing it) when it exits or times out. */
  const launch = async (deadlineMs, what) => {
    try { logFrom = statSync(logFile).size } catch { logFrom = 0 }
    // If this process dies without stop() (even by SIGKILL), the guard's watchdog kills the JVM and removes the dir.
    jvm = spawnGuardedJvm(java, jvmArgs, { outFile: logFile, cleanupDir: keepData ? null : dir, name: 'schema-registry' })
    const deadline = Date.now() + deadlineMs
    for (;;) {
      if (jvm.exit()) {
        const portTaken = /Address already in use|Port already bound|BindException/.test(readTail(logFile, Infinity, logFrom))
        const { code, signal, error } = jvm.exit()
        jvm.release()
        throw Object.assign(new Error(`${what}: the registry exited during start-up (${error?.message ?? `code ${code}, signal ${signal}`}).\n${describe()}`), { portTaken, port })
      }
      if (Date.now() > deadline) {
        jvm.kill()
        await within(jvm.exited, 10000)
        jvm.release()
        throw new Error(`${what}: the registry was not ready within ${deadlineMs} ms.\n${describe()}`)
      }
      if (await isReady(url)) return
      await delay(100)
    }
  }

  try {
    await launch(timeoutMs, `${APICURIO_VERSION} on port ${port}`)
    await setGlobalCompatibility(`${url}${CCOMPAT_PATH}`, compatibility)
  } catch (err) {
    throw await fail(err.message.replace(/\n--- tail of [\s\S]*$/, ''), { portTaken: err.portTaken, port })
  }
  const startupMs = Date.now() - started
  log(`Apicurio Registry ${APICURIO_VERSION} up on ${url} in ${(startupMs / 1000).toFixed(1)} s (compatibility ${compatibility}); log in ${logFile}`)

  /** SIGTERM (Quarkus shuts down in order and closes the database), SIGKILL after `ms`. */
  const stopJvm = async (ms) => {
    if (!jvm.exit()) {
      // The child was unref'd; while we wait for its exit it must keep the event loop alive.
      jvm.child.ref()
      try { jvm.child.kill('SIGTERM') } catch {}
      if (!await within(jvm.exited, ms)) {
        log(`the registry did not stop within ${ms} ms; killing it`)
        jvm.kill()
        await jvm.exited
      }
    }
    jvm.release()
  }

  let stopping = null
  return {
    url,
    ccompatUrl: `${url}${CCOMPAT_PATH}`,
    apicurioUrl: `${url}${APICURIO_PATH}`,
    port,
    get pid () { return jvm.child.pid },
    dir,
    logFile,
    startupMs,
    /** Resolves with { code, signal } when the current registry process ends. */
    get exited () { return jvm.exited },
    describe,
    /**
     * Stops the registry in order and starts it again on the same port and database (ids, subjects and the
     * compatibility level come back); `whileDown` runs while it is stopped. Resolves once it is ready again.
     */
    async restart ({ whileDown, timeoutMs: restartTimeoutMs = timeoutMs } = {}) {
      if (stopping) throw new Error('the registry was stopped')
      await stopJvm(30000)
      if (whileDown) await whileDown()
      const restarted = Date.now()
      await launch(restartTimeoutMs, `restart on port ${port}`)
      log(`registry restarted on ${url} in ${((Date.now() - restarted) / 1000).toFixed(1)} s`)
    },
    /** Stops the registry (SIGTERM, SIGKILL after `timeoutMs`) and removes its directory. Safe to call twice. */
    stop ({ timeoutMs: stopTimeoutMs = 30000 } = {}) {
      stopping ??= (async () => {
        await stopJvm(stopTimeoutMs)
        if (keepData) log(`kept the registry's database and log in ${dir}`)
        else rmSync(dir, { recursive: true, force: true })
      })()
      return stopping
    }
  }
}

/**
 * The base URL of the registry that `npm test` started (or that was given) in SCHEMA_REGISTRY_URL, e.g.
 * http://127.0.0.1:41234; the Confluent API is at `${schemaRegistryUrl()}/apis/ccompat/v7`.
 */
export function schemaRegistryUrl () {
  const url = process.env.SCHEMA_REGISTRY_URL
  if (!url) {
    throw new Error('SCHEMA_REGISTRY_URL is not set. Run the tests with `npm test` (or `npm test -- <path>`), which starts ' +
      'a real Schema Registry (Apicurio Registry) for test files that name SCHEMA_REGISTRY_URL or schemaRegistryUrl; ' +
      'or point it at a registry yourself (its base URL; a trailing /apis/ccompat/v7 is allowed).')
  }
  // A URL given with the Confluent API's path is accepted too.
  return url.replace(/\/+$/, '').replace(/\/apis\/ccompat\/v\d+$/, '')
}

/** The Confluent-compatible API of the SCHEMA_REGISTRY_URL registry: what `schema.registry.url` names. */
export function schemaRegistryCcompatUrl () {
  return `${schemaRegistryUrl()}${CCOMPAT_PATH}`
}
