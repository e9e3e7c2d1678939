/**
 * Connector configs and target states kept across restarts (Apache's standalone keeps them in memory only, so
 * connectors created through REST vanish when the worker restarts). A small JSON file beside the offsets file,
 * rewritten atomically (temp file, fsync, rename) with mode 0600, since configs may hold secrets:
 *
 *   {"version":1,"connectors":{"<name>":{"config":{…},"target":"STARTED"|"PAUSED"|"STOPPED"}}}
 */
import { readFile } from 'node:fs/promises'
import { OffsetStoreError } from '../api/errors.ts'
import { removeLeftoverTempFiles, writeFileAtomically } from './atomic-file.ts'

export type StoredTargetState = 'STARTED' | 'PAUSED' | 'STOPPED'
export interface StoredConnector { config: Record<string, string>, target: StoredTargetState }

const TARGETS = new Set(['STARTED', 'PAUSED', 'STOPPED'])

export class ConnectorConfigStore {
  readonly #file: string
  #writing: Promise<void> = Promise.resolve()

  constructor (filename: string) { this.#file = filename }

  get filename (): string { return this.#file }

  /** The stored connectors, in file order; an absent file is empty, a corrupt one throws. */
  async load (): Promise<Map<string, StoredConnector>> {
    // Temporary files of writes a SIGKILL interrupted; the file itself is whole (each write is a rename).
    await removeLeftoverTempFiles(this.#file)
    let text: string
    try {
      text = await readFile(this.#file, 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Map()
      throw new OffsetStoreError(`Cannot read the connector configs file '${this.#file}': ${(err as Error).message}`, { cause: err })
    }
    const bad = (why: string): never => {
      throw new OffsetStoreError(`The connector configs file '${this.#file}' is not valid: ${why}. Move it away to start without the connectors created through REST, or set connector.configs.persist=false.`)
    }
    let doc: unknown
    try { doc = JSON.parse(text) } catch (err) { bad((err as Error).message) }
    const connectors = (doc as { connectors?: unknown } | null)?.connectors
    if ((doc as { version?: unknown } | null)?.version !== 1 || typeof connectors !== 'object' || connectors === null) bad('expected {"version":1,"connectors":{…}}')
    const out = new Map<string, StoredConnector>()
    for (const [name, entry] of Object.entries(connectors as Record<string, unknown>)) {
      const e = entry as { config?: unknown, target?: unknown } | null
      if (typeof e?.config !== 'object' || e.config === null || !TARGETS.has(String(e.target))) bad(`connector ${name} needs "config" and "target"`)
      const config: Record<string, string> = {}
      for (const [k, v] of Object.entries(e!.config as Record<string, unknown>)) {
        if (typeof v !== 'string') bad(`connector ${name}: the value of ${k} is not a string`)
        config[k] = v as string
      }
      out.set(name, { config, target: e!.target as StoredTargetState })
    }
    return out
  }

  /** Replaces the file's content; writes are serialised, each one complete. */
  async save (connectors: ReadonlyMap<string, StoredConnector>): Promise<void> {
    const doc = { version: 1, connectors: Object.fromEntries([...connectors].map(([n, c]) => [n, { config: c.config, target: c.target }])) }
    const data = JSON.stringify(doc, null, 2) + '\n'
    const run = this.#writing.catch(() => {}).then(async () => { await this.#write(data) })
    this.#writing = run
    await run
  }

  async #write (data: string): Promise<void> {
    await writeFileAtomically(this.#file, data, { what: 'connector configs file', newFileMode: 0o600 })
  }

}
