// Starts a real PostgreSQL server for the tests: the machine's PostgreSQL (15 from Debian; `.ci/run` installs it when
// `initdb` is missing), initialised into a fresh temporary directory with wal_level=logical, listening on a free
// 127.0.0.1 port only. PostgreSQL refuses to run as root, so under root the server runs as the `postgres` user (or
// `nobody` when there is none); its directory is handed to that user.
//
//   const pg = await startPostgres()
//   ... pg.connectionString, pg.host, pg.port, pg.user, pg.password, pg.database ...
//   await pg.stop()
//
// Like the JVM harnesses, the server cannot outlive the tests: a watchdog kills it (and removes its directory) as soon
// as this process is gone, even after a SIGKILL.
import { execFileSync, spawnSync } from 'node:child_process'
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { freePort, readTail, spawnGuardedJvm } from './jvm-process.mjs'

export const POSTGRES_USER = 'postgres'
export const POSTGRES_PASSWORD = 'connect-test-secret'
export const POSTGRES_DATABASE = 'postgres'

function log (message) {
  process.stderr.write(`[postgres] ${message}\n`)
}

const delay = ms => new Promise(resolve => setTimeout(resolve, ms))

/** The directory holding initdb and postgres: from PATH, else Debian's newest /usr/lib/postgresql/<major>/bin. */
export function findPostgresBin () {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'postgres'))) return dir
    // Debian links only initdb (not postgres) onto some PATHs; follow the link's directory.
    if (dir && existsSync(join(dir, 'initdb'))) {
      try {
        const real = execFileSync('readlink', ['-f', join(dir, 'initdb')], { encoding: 'utf8' }).trim()
        const realDir = real.slice(0, real.lastIndexOf('/'))
        if (existsSync(join(realDir, 'postgres'))) return realDir
      } catch {}
    }
  }
  const root = '/usr/lib/postgresql'
  if (existsSync(root)) {
    const majors = readdirSync(root).filter(d => /^\d+$/.test(d)).sort((a, b) => Number(b) - Number(a))
    for (const major of majors) {
      const dir = join(root, major, 'bin')
      if (existsSync(join(dir, 'initdb'))) return dir
    }
  }
  throw new Error('PostgreSQL is not installed: no initdb on PATH nor under /usr/lib/postgresql/*/bin. ' +
    'On Debian: apt-get install -y postgresql (what .ci/run does).')
}

/** The uid/gid to run the server as: ours unless we are root (postgres refuses root). */
function serverIdentity () {
  if (process.getuid?.() !== 0) return null
  for (const name of ['postgres', 'nobody']) {
    const r = spawnSync('id', ['-u', name], { encoding: 'utf8' })
    if (r.status === 0) {
      const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' })
      return { name, uid: Number(r.stdout.trim()), gid: Number(gid.stdout.trim()) }
    }
  }
  throw new Error('running as root and there is neither a postgres nor a nobody user to run PostgreSQL as')
}

/**
 * Starts the server and resolves once it accepts connections.
 *
 * options.port        TCP port on 127.0.0.1 (default: a free one)
 * options.timeoutMs   readiness timeout (default 60000)
 * options.settings    extra postgresql.conf settings, e.g. { max_wal_size: '1GB' }
 * options.keepData    keep the data directory on stop (also POSTGRES_KEEP_DATA=1)
 */
export async function startPostgres (options = {}) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options)
    } catch (err) {
      if (!err.portTaken || options.port || attempt >= 3) throw err
      log(`port ${err.port} was taken before the server bound it; retrying with another`)
    }
  }
}

async function startOnce (options) {
  const started = Date.now()
  const bin = findPostgresBin()
  const who = serverIdentity()
  const port = options.port ?? await freePort()
  const timeoutMs = options.timeoutMs ?? 60000
  const keepData = options.keepData || !!process.env.POSTGRES_KEEP_DATA
  const dir = mkdtempSync(join(tmpdir(), 'postgres-'))
  chmodSync(dir, 0o700)
  const dataDir = join(dir, 'data')
  const logFile = join(dir, 'postgres.log')
  const pwFile = join(dir, 'pwfile')
  writeFileSync(pwFile, POSTGRES_PASSWORD + '\n', { mode: 0o600 })
  writeFileSync(logFile, '')
  const as = who ? { uid: who.uid, gid: who.gid } : {}
  if (who) for (const f of [dir, pwFile, logFile]) chownSync(f, who.uid, who.gid)

  const init = spawnSync(join(bin, 'initdb'), [
    '-D', dataDir, '-U', POSTGRES_USER, `--pwfile=${pwFile}`, '--auth-host=scram-sha-256', '--auth-local=trust',
    '-E', 'UTF8', '--locale=C', '--no-sync'
  ], { encoding: 'utf8', cwd: dir, ...as })
  if (init.status !== 0) {
    if (!keepData) rmSync(dir, { recursive: true, force: true })
    throw new Error(`initdb failed (exit ${init.status}${who ? `, as ${who.name}` : ''}):\n${init.stdout}\n${init.stderr}`)
  }
  rmSync(pwFile, { force: true })

  const settings = {
    listen_addresses: '127.0.0.1',
    port: String(port),
    // The socket lives in our directory: /var/run/postgresql may not exist or be writable.
    unix_socket_directories: dir,
    wal_level: 'logical',
    max_replication_slots: '64',
    max_wal_senders: '64',
    max_connections: '200',
    // The tests crash the runners, not the server: durability of the server itself is not under test.
    fsync: 'off',
    full_page_writes: 'off',
    synchronous_commit: 'off',
    log_min_messages: 'warning',
    ...options.settings
  }
  const args = ['-D', dataDir, ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])]
  // spawnGuardedJvm works for any program: own process group, output to a file, a watchdog for our death.
  const server = spawnGuardedJvm(join(bin, 'postgres'), args, { outFile: logFile, cleanupDir: keepData ? null : dir, name: 'postgres', spawnOptions: as })
  const describe = () => `--- tail of ${logFile} ---\n${readTail(logFile, 40)}`
  const connectionString = `postgresql://${POSTGRES_USER}:${encodeURIComponent(POSTGRES_PASSWORD)}@127.0.0.1:${port}/${POSTGRES_DATABASE}`

  const { default: pg } = await import('pg')
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (server.exit()) {
      const text = readTail(logFile, Infinity)
      const portTaken = /could not bind|Address already in use/.test(text)
      server.release()
      const { code, signal } = server.exit()
      const err = Object.assign(new Error(`PostgreSQL exited during start-up (code ${code}, signal ${signal}).\n${describe()}`), { portTaken, port })
      if (!keepData) rmSync(dir, { recursive: true, force: true })
      throw err
    }
    if (Date.now() > deadline) {
      server.kill()
      await server.exited
      server.release()
      if (!keepData) rmSync(dir, { recursive: true, force: true })
      throw new Error(`PostgreSQL was not ready within ${timeoutMs} ms.\n${describe()}`)
    }
    const client = new pg.Client({ connectionString, connectionTimeoutMillis: 2000 })
    try {
      await client.connect()
      await client.query('select 1')
      await client.end()
      break
    } catch {
      await client.end().catch(() => {})
      await delay(100)
    }
  }
  const startupMs = Date.now() - started
  const version = readFileSync(join(dataDir, 'PG_VERSION'), 'utf8').trim()
  log(`PostgreSQL ${version} up on 127.0.0.1:${port} in ${(startupMs / 1000).toFixed(1)} s${who ? ` (as ${who.name})` : ''}; log ${logFile}`)

  let stopping = null
  return {
    host: '127.0.0.1',
    port,
    user: POSTGRES_USER,
    password: POSTGRES_PASSWORD,
    database: POSTGRES_DATABASE,
    connectionString,
    /** jdbc:postgresql://127.0.0.1:<port>/postgres, for Java peers. */
    jdbcUrl: `jdbc:postgresql://127.0.0.1:${port}/${POSTGRES_DATABASE}`,
    version,
    dir,
    logFile,
    startupMs,
    pid: server.child.pid,
    exited: server.exited,
    describe,
    /** Creates a database (a test's own, so tests do not see each other's tables) and returns its connection string. */
    async createDatabase (name) {
      const client = new pg.Client({ connectionString })
      await client.connect()
      try {
        await client.query(`create database "${name.replace(/"/g, '""')}"`)
      } finally {
        await client.end()
      }
      return connectionString.replace(/\/[^/]*$/, `/${encodeURIComponent(name)}`)
    },
    /** Fast shutdown (SIGINT), SIGKILL after `timeoutMs`; removes the directory. Safe to call twice. */
    stop ({ timeoutMs: stopTimeoutMs = 20000 } = {}) {
      stopping ??= (async () => {
        if (!server.exit()) {
          server.child.ref()
          try { server.child.kill('SIGINT') } catch {}
          let timer
          const done = await Promise.race([server.exited, new Promise(resolve => { timer = setTimeout(() => resolve(null), stopTimeoutMs) })])
          clearTimeout(timer)
          if (!done) {
            log(`the server did not stop within ${stopTimeoutMs} ms; killing it`)
            server.kill()
            await server.exited
          }
        }
        server.release()
        if (keepData) log(`kept the server's directory ${dir}`)
        else rmSync(dir, { recursive: true, force: true })
      })()
      return stopping
    }
  }
}

/**
 * The connection string of the server `npm test` started (or that was given) in POSTGRES_URL, e.g.
 * postgresql://postgres:...@127.0.0.1:41234/postgres.
 */
export function postgresUrl () {
  const url = process.env.POSTGRES_URL
  if (!url) {
    throw new Error('POSTGRES_URL is not set. Run the tests with `npm test` (or `npm test -- <path>`), which starts a real ' +
      'PostgreSQL server for test files that name POSTGRES_URL or postgresUrl; or point it at a server yourself ' +
      '(wal_level=logical, a superuser).')
  }
  return url
}
