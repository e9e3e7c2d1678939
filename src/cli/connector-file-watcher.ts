/**
 * `--watch`: hot reload of connector files. The connector files given on the command line, and the connector files of
 * each `--watch DIR`, are watched; a change is read, parsed and validated, then applied to that connector alone with
 * the semantics of Apache's `PUT /connectors/{name}/config` (the config is replaced, the target state kept: a paused
 * connector stays paused). A new file creates its connector, a removed file deletes it, a file whose connector name
 * changed deletes the old connector and creates the new one. A change that does not parse or validate is not applied:
 * the connector keeps running as it was, and the log says what is wrong (file, line, key). The worker file is watched
 * only to say that its changes need a restart.
 *
 * node's fs.watch is enough on the platforms we run on (inotify, FSEvents, ReadDirectoryChangesW) once it watches the
 * directories rather than the files: editors that save through a temporary file renamed over the original (vim, VS
 * Code, IntelliJ) replace the inode a file watch would follow. Events are debounced, and a file whose content hash did
 * not change (a touch, an editor saving twice) is left alone.
 */
import { createHash } from 'node:crypto'
import { watch, type FSWatcher } from 'node:fs'
import { readFile, readdir, stat } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import { ConfigFileError } from '../api/errors.ts'
import { parseConnectorFile, type ConnectorFileConfig } from '../config/connector-file.ts'
import { suggest } from '../plugins/registry.ts'
import type { Herder, TargetState } from '../runtime/herder.ts'
import { createLogger, type Logger } from '../util/logger.ts'

/** Quiet time after the last event before the changed files are read: editors write a file in several steps. */
export const WATCH_DEBOUNCE_MS = 150

/** The names `--watch DIR` takes as connector files, as the CLI reads them: .properties, .json, .yaml, .yml. */
export function isConnectorFileName (name: string): boolean {
  // Hidden files are editors' swap and temporary files (.x.json.swp, .#x.json), never connectors.
  return !name.startsWith('.') && /\.(properties|json|ya?ml)$/i.test(name)
}

/** The connector files of `dir`, sorted, without `exclude` (the worker file, the offsets and connector configs files). */
export async function connectorFilesIn (dir: string, exclude: ReadonlySet<string> = new Set()): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true })
  return entries
    .filter(e => (e.isFile() || e.isSymbolicLink()) && isConnectorFileName(e.name) && !exclude.has(resolve(dir, e.name)))
    .map(e => join(dir, e.name))
    .sort()
}

/**
 * `--watch` takes an optional directory. Commander would take the worker file after a bare `--watch` as that directory,
 * so the argument is the option's only when it names an existing directory; otherwise `--watch` stands alone.
 */
export async function normalizeWatchArgs (argv: readonly string[]): Promise<string[]> {
  const out: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === '--') { out.push(...argv.slice(i)); break }
    if (arg !== '--watch') { out.push(arg); continue }
    const next = argv[i + 1]
    if (next !== undefined && !next.startsWith('-') && await isDirectory(next)) {
      out.push(`--watch=${next}`)
      i++
    } else {
      out.push('--watch=')
    }
  }
  return out
}

/** Commander's collector for repeated `--watch [dir]`: the directories given ('' is a bare --watch). */
export function collectWatchDir (value: string, previous: string[] | undefined): string[] {
  return value === '' ? (previous ?? []) : [...(previous ?? []), value]
}

async function isDirectory (path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory()
  } catch {
    return false
  }
}

export interface ConnectorFileWatcherOptions {
  herder: Herder
  /** Connector files given on the command line; watched even while they do not exist. */
  files: readonly string[]
  /** `--watch DIR` directories: each connector file in them, present or to come. */
  dirs: readonly string[]
  /** The worker file: a change is reported as needing a restart. */
  workerFile: string
  /** Files never taken as connector files (the offsets file, the connector configs file). */
  exclude?: readonly string[]
  /** What start-up created, per file: a file that changed since is applied at once. */
  started: ReadonlyArray<{ file: string, connector: ConnectorFileConfig }>
  debounceMs?: number
  logger?: Logger
}

interface FileState {
  /** Hash of the content last read (applied or not): the same content again is not looked at. */
  hash?: string
  /** The connector this file gives, with the config last applied. */
  name?: string
  config?: Record<string, string>
}

export class ConnectorFileWatcher {
  readonly #herder: Herder
  readonly #log: Logger
  readonly #debounceMs: number
  readonly #workerFile: string
  readonly #files: Set<string>
  readonly #dirs: Set<string>
  readonly #exclude: Set<string>
  readonly #states = new Map<string, FileState>()
  /** Connector name -> the file that gives it. */
  readonly #owners = new Map<string, string>()
  /** Files whose change waits for a name another file holds: looked at again when a name is freed. */
  readonly #blocked = new Set<string>()
  readonly #watchers: FSWatcher[] = []
  readonly #dirty = new Set<string>()
  #workerHash: string | undefined
  #timer: NodeJS.Timeout | undefined
  #chain: Promise<void> = Promise.resolve()
  #closed = false

  private constructor (options: ConnectorFileWatcherOptions) {
    this.#herder = options.herder
    this.#log = options.logger ?? createLogger('ConnectorFileWatcher')
    this.#debounceMs = options.debounceMs ?? WATCH_DEBOUNCE_MS
    this.#workerFile = resolve(options.workerFile)
    this.#files = new Set(options.files.map(f => resolve(f)))
    this.#dirs = new Set(options.dirs.map(d => resolve(d)))
    this.#exclude = new Set([this.#workerFile, ...(options.exclude ?? []).map(f => resolve(f))])
    for (const { file, connector } of options.started) {
      const path = resolve(file)
      this.#states.set(path, { name: connector.name, config: { ...connector.config } })
      this.#owners.set(connector.name, path)
    }
  }

  /** Watches the directories, then looks at every file once: one changed since start-up is applied now. */
  static async start (options: ConnectorFileWatcherOptions): Promise<ConnectorFileWatcher> {
    const watcher = new ConnectorFileWatcher(options)
    await watcher.#start()
    return watcher
  }

  async #start (): Promise<void> {
    const dirs = new Set<string>([...this.#dirs, dirname(this.#workerFile), ...[...this.#files].map(f => dirname(f))])
    for (const dir of dirs) this.#watchDir(dir)
    this.#workerHash = await hashOf(this.#workerFile)
    for (const path of await this.#candidates()) this.#dirty.add(path)
    await this.#enqueue()
    const what = [...this.#files].map(f => basename(f)).concat([...this.#dirs].map(d => `${d}/`))
    this.#log.info(`Watching connector files for changes: ${what.join(', ')}`)
  }

  #watchDir (dir: string): void {
    let watcher: FSWatcher
    try {
      watcher = watch(dir, { persistent: false })
    } catch (err) {
      this.#log.error(`Cannot watch ${dir} for connector file changes: ${(err as Error).message}`)
      return
    }
    watcher.on('change', (_event, filename) => {
      if (this.#closed) return
      // No name (some platforms, or an overflow): every file of the directory is looked at again.
      const name = typeof filename === 'string' ? filename : filename?.toString()
      if (name === undefined || name === '') this.#markDir(dir)
      else this.#mark(join(dir, name))
    })
    watcher.on('error', (err: Error) => {
      if (!this.#closed) this.#log.warn(`Stopped watching ${dir} for connector file changes: ${err.message}`)
    })
    this.#watchers.push(watcher)
  }

  #mark (path: string): void {
    if (path === this.#workerFile) { this.#schedule(); this.#dirty.add(path); return }
    if (!this.#isWatched(path)) return
    this.#dirty.add(path)
    this.#schedule()
  }

  #markDir (dir: string): void {
    for (const path of [...this.#files, ...this.#states.keys(), this.#workerFile]) if (dirname(path) === dir) this.#dirty.add(path)
    if (this.#dirs.has(dir)) this.#dirty.add(`${dir}/`)
    this.#schedule()
  }

  #isWatched (path: string): boolean {
    if (this.#files.has(path) || this.#states.has(path)) return true
    return this.#dirs.has(dirname(path)) && isConnectorFileName(basename(path)) && !this.#exclude.has(path)
  }

  #schedule (): void {
    clearTimeout(this.#timer)
    this.#timer = setTimeout(() => { void this.#enqueue() }, this.#debounceMs)
    this.#timer.unref()
  }

  /** The files to look at: the given ones, the ones known, and the connector files of the watched directories. */
  async #candidates (): Promise<string[]> {
    const out = new Set([...this.#files, ...this.#states.keys()])
    for (const dir of this.#dirs) {
      try {
        for (const f of await connectorFilesIn(dir, this.#exclude)) out.add(f)
      } catch (err) {
        this.#log.error(`Cannot list the connector files of ${dir}: ${(err as Error).message}`)
      }
    }
    return [...out]
  }

  /** Processes the dirty files after whatever is being processed: one change at a time, in order. */
  async #enqueue (): Promise<void> {
    const run = this.#chain.then(async () => { await this.#processDirty() })
    this.#chain = run.catch((err: unknown) => { this.#log.error('Connector file watcher failed', err) })
    await this.#chain
  }

  async #processDirty (): Promise<void> {
    if (this.#closed) return
    let paths = [...this.#dirty]
    this.#dirty.clear()
    if (paths.some(p => p.endsWith('/'))) {
      paths = [...new Set([...paths.filter(p => !p.endsWith('/')), ...await this.#candidates()])]
    }
    if (paths.includes(this.#workerFile)) await this.#checkWorkerFile()
    // Read first, then removals before the rest: a connector file renamed in a watched directory frees its name before
    // its new path gives it again.
    const reads = await Promise.all(paths.filter(p => p !== this.#workerFile).sort().map(async p => ({ path: p, content: await readOrNull(p) })))
    const ordered = [...reads.filter(r => r.content === null), ...reads.filter(r => r.content !== null)]
    for (const { path, content } of ordered) {
      if (this.#closed) return
      try {
        await this.#apply(path, content)
      } catch (err) {
        if (this.#closed) return
        this.#log.error(`Could not apply the change of ${path}: ${(err as Error).message}`)
      }
    }
  }

  async #checkWorkerFile (): Promise<void> {
    const hash = await hashOf(this.#workerFile)
    if (hash === undefined || hash === this.#workerHash) return
    this.#workerHash = hash
    this.#log.warn(`The worker file ${this.#workerFile} changed: worker settings are read only at start, restart the worker to use them`)
  }

  async #apply (path: string, content: Buffer | Error | null): Promise<void> {
    const state = this.#states.get(path) ?? {}
    if (content instanceof Error) {
      this.#log.error(`Cannot read connector file ${path}: ${content.message}`)
      return
    }
    if (content === null) {
      this.#blocked.delete(path)
      this.#states.delete(path)
      if (state.name !== undefined) await this.#delete(state.name, path, `its file ${path} was removed`)
      return
    }
    const hash = createHash('sha256').update(content).digest('hex')
    if (hash === state.hash && !this.#blocked.has(path)) return
    state.hash = hash
    this.#states.set(path, state)
    this.#blocked.delete(path)

    let parsed: ConnectorFileConfig
    try {
      parsed = parseConnectorFile(content, path)
    } catch (err) {
      if (!(err instanceof ConfigFileError)) throw err
      this.#log.error(`${notApplied(path, state.name)}:\n  - ${err.line !== undefined && !err.message.includes(`line ${err.line}`) ? `${path}:${err.line}: ` : ''}${err.message}`)
      return
    }
    const { name, config } = parsed
    if (name === state.name && state.config !== undefined && sameConfig(state.config, config) && this.#herder.connectors().includes(name)) {
      this.#log.debug(`Connector file ${path} saved without a change to connector ${name}`)
      return
    }
    const problems = await this.#problems(parsed, path)
    if (problems.length > 0) {
      this.#log.error(`${notApplied(path, state.name)}: ${problems.length === 1 ? 'one problem' : `${problems.length} problems`}:\n  - ${problems.join('\n  - ')}`)
      return
    }
    const owner = this.#owners.get(name)
    if (owner !== undefined && owner !== path) {
      this.#blocked.add(path)
      this.#log.error(`${notApplied(path, state.name)}: connector ${name} is given by ${owner} already (${path}:${parsed.lines?.get('name') ?? '?'}: name)`)
      return
    }
    const exists = this.#herder.connectors().includes(name)
    if (owner === undefined && exists) {
      this.#blocked.add(path)
      this.#log.error(`${notApplied(path, state.name)}: a connector named ${name} exists already, created through the REST API ` +
        `(${path}:${parsed.lines?.get('name') ?? '?'}: name); delete it or give the file another name`)
      return
    }
    if (state.name !== undefined && state.name !== name) {
      await this.#delete(state.name, path, `${path} now gives connector ${name}`)
    }
    if (exists) {
      // PUT .../config: the config replaced, the target state kept.
      const before = state.config ?? {}
      await this.#herder.upsertConnector(name, config, { allowReplace: true })
      this.#take(path, state, name, config)
      const target = this.#targetOf(name)
      this.#log.info(`Reconfigured connector ${name} from ${path} (${changedKeys(before, config)})${target === 'RUNNING' || target === undefined ? '' : `; it stays ${target}`}`)
    } else {
      const initial: TargetState = parsed.initialState === 'PAUSED' ? 'PAUSED' : parsed.initialState === 'STOPPED' ? 'STOPPED' : 'STARTED'
      // Owned before it starts: a connector that fails to start still exists (FAILED) and belongs to its file.
      this.#take(path, state, name, config)
      await this.#herder.putConnectorConfig(name, config, initial)
      this.#log.info(`Created connector ${name} from ${path}`)
    }
  }

  /** Validation as POST/PUT does it, each problem with the file, line and key. */
  async #problems (parsed: ConnectorFileConfig, path: string): Promise<string[]> {
    const at = (key: string): string => {
      // A key the file does not hold (transforms.x.type) is shown at the line of the key that asked for it (transforms).
      let line: number | undefined
      for (let k = key; line === undefined && k !== ''; k = k.includes('.') ? k.slice(0, k.lastIndexOf('.')) : '') line = parsed.lines?.get(k)
      return line !== undefined ? `${path}:${line}: ${key}` : `${path}: ${key}`
    }
    const connectorClass = (parsed.config['connector.class'] ?? '').trim()
    if (connectorClass === '') return [`${at('connector.class')}: missing; it names the connector's class`]
    let infos
    try {
      infos = await this.#herder.validate(parsed.config)
    } catch (err) {
      const known = this.#herder.connectorPlugins(true).map(p => p.class)
      if (!known.some(c => c === connectorClass || c.endsWith(`.${connectorClass}`) || c.endsWith(`.${connectorClass}Connector`))) {
        // Apache's message lists every plugin descriptor; the nearest names say more.
        const names = known.flatMap(c => { const simple = c.slice(c.lastIndexOf('.') + 1); return [c, simple, simple.replace(/Connector$/, '')] })
        return [`${at('connector.class')}: no connector plugin is named ${connectorClass}${suggest(connectorClass, names)}`]
      }
      return [`${at('connector.class')}: ${(err as Error).message}`]
    }
    return infos.configs.flatMap(c => c.value.errors.map(e => `${at(c.value.name)}: ${e}`))
  }

  #take (path: string, state: FileState, name: string, config: Record<string, string>): void {
    state.name = name
    state.config = { ...config }
    this.#states.set(path, state)
    this.#owners.set(name, path)
  }

  async #delete (name: string, path: string, why: string): Promise<void> {
    if (this.#owners.get(name) === path) this.#owners.delete(name)
    const state = this.#states.get(path)
    if (state?.name === name) { delete state.name; delete state.config }
    if (this.#herder.connectors().includes(name)) {
      await this.#herder.deleteConnector(name)
      this.#log.info(`Deleted connector ${name}: ${why}`)
    }
    // A file that waited for this name gets its turn.
    for (const blocked of this.#blocked) this.#dirty.add(blocked)
    if (this.#blocked.size > 0) this.#schedule()
  }

  #targetOf (name: string): string | undefined {
    try {
      return this.#herder.status(name).connector.state
    } catch {
      return undefined
    }
  }

  /** Closes the watchers at once; a change being applied finishes in the herder, whose stop waits for it. */
  close (): void {
    this.#closed = true
    clearTimeout(this.#timer)
    for (const w of this.#watchers.splice(0)) w.close()
  }
}

function notApplied (path: string, name: string | undefined): string {
  return `Not applying ${path}${name !== undefined ? `; connector ${name} keeps its previous config` : ''}`
}

function sameConfig (a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(a)
  return keys.length === Object.keys(b).length && keys.every(k => b[k] === a[k])
}

/** Which keys a change touched (names only: values may be secrets). */
function changedKeys (before: Readonly<Record<string, string>>, after: Readonly<Record<string, string>>): string {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(k => before[k] !== after[k]).sort()
  return keys.length === 0 ? 'no key changed' : `changed: ${keys.join(', ')}`
}

async function readOrNull (path: string): Promise<Buffer | Error | null> {
  try {
    return await readFile(path)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    // A directory or a missing file is no connector file (any more).
    return code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR' ? null : err as Error
  }
}

async function hashOf (path: string): Promise<string | undefined> {
  const content = await readOrNull(path)
  return content instanceof Buffer ? createHash('sha256').update(content).digest('hex') : undefined
}
