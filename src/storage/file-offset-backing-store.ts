/**
 * The standalone offsets file (Apache's FileOffsetBackingStore format), loaded once at start and rewritten whole on
 * every flush. Unlike Apache, writes are atomic (temp file, fsync, rename, fsync of the directory) and a corrupt file
 * stops start-up instead of silently resetting every offset.
 */
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { OffsetStoreError } from '../api/index.ts'
import { decodeOffsetsFile, encodeOffsetsFile, type OffsetsFileEntry } from './java-serialization.ts'
import { canonicalPartitionKey, decodeOffsetKey, decodeOffsetValue, encodeOffsetKey, encodeOffsetValue, type OffsetRecord } from './offset-key.ts'

interface Entry {
  keyBytes: Buffer
  valueBytes: Buffer | null
  connector: string
  partition: OffsetRecord
  offset: OffsetRecord | null
}

export interface OffsetEntry {
  partition: Record<string, unknown>
  offset: Record<string, unknown> | null
}

export class FileOffsetBackingStore {
  readonly #file: string
  readonly #warn: (msg: string) => void
  /** Entries in file order; Map keeps insertion order so rewrites are stable. */
  readonly #entries = new Map<string, Entry>()
  /** Keys Apache would ignore (not ["name",{…}]): kept untouched so nothing in the file is lost. */
  #foreign: OffsetsFileEntry[] = []
  #writes: Promise<void> = Promise.resolve()

  constructor (filename: string, options: { logger?: { warn (msg: string): void } } = {}) {
    this.#file = filename
    this.#warn = options.logger ? msg => options.logger!.warn(msg) : () => {}
  }

  get filename (): string { return this.#file }

  async start (): Promise<void> {
    let buf: Buffer
    try {
      buf = await readFile(this.#file)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return
      throw new OffsetStoreError(`Cannot read offsets file '${this.#file}': ${(err as Error).message}`, { cause: err })
    }
    for (const [key, value] of decodeOffsetsFile(buf, this.#file)) {
      const decoded = decodeOffsetKey(key)
      if (!decoded) {
        this.#warn(`Ignoring an offsets file entry whose key is not ["<connector>",{partition}]: ${key.toString('utf8').slice(0, 200)}`)
        this.#foreign.push([key, value])
        continue
      }
      let offset: OffsetRecord | null
      try {
        offset = value === null ? null : decodeOffsetValue(value)
      } catch (err) {
        throw new OffsetStoreError(`Offsets file '${this.#file}' has an unreadable offset for ${key.toString('utf8')}: ${(err as Error).message}. ` +
          'Move it away to start from scratch, or restore a backup.', { cause: err })
      }
      this.#entries.set(canonicalPartitionKey(decoded.connector, decoded.partition),
        { keyBytes: key, valueBytes: value, connector: decoded.connector, partition: decoded.partition, offset })
    }
  }

  get (connector: string, partition: Readonly<Record<string, unknown>>): Record<string, unknown> | null {
    return this.#entries.get(canonicalPartitionKey(connector, partition))?.offset ?? null
  }

  getAll (connector: string): OffsetEntry[] {
    return [...this.#entries.values()].filter(e => e.connector === connector).map(e => ({ partition: { ...e.partition }, offset: e.offset && { ...e.offset } }))
  }

  /** Merges entries (a null offset is a tombstone, kept as Apache keeps it) and rewrites the file atomically. */
  async set (connector: string, entries: readonly OffsetEntry[]): Promise<void> {
    for (const { partition, offset } of entries) {
      const id = canonicalPartitionKey(connector, partition)
      const existing = this.#entries.get(id)
      // Reuse the stored key bytes: Java looks keys up byte for byte, so its field order must survive.
      const keyBytes = existing?.keyBytes ?? encodeOffsetKey(connector, partition)
      const valueBytes = offset === null ? null : encodeOffsetValue(offset)
      this.#entries.set(id, { keyBytes, valueBytes, connector, partition: partition as OffsetRecord, offset: offset as OffsetRecord | null })
    }
    const snapshot: OffsetsFileEntry[] = [...this.#foreign, ...[...this.#entries.values()].map(e => [e.keyBytes, e.valueBytes] as OffsetsFileEntry)]
    const write = this.#writes.then(async () => { await this.#writeAtomically(encodeOffsetsFile(snapshot)) })
    this.#writes = write.catch(() => {})
    await write
  }

  async #writeAtomically (data: Buffer): Promise<void> {
    const dir = dirname(this.#file)
    const tmp = join(dir, `.${basename(this.#file)}.tmp-${process.pid}`)
    try {
      await mkdir(dir, { recursive: true })
      const fh = await open(tmp, 'w')
      try {
        await fh.writeFile(data)
        await fh.sync()
      } finally {
        await fh.close()
      }
      await rename(tmp, this.#file)
      const dh = await open(dir, 'r')
      try { await dh.sync() } finally { await dh.close() }
    } catch (err) {
      await rm(tmp, { force: true }).catch(() => {})
      throw new OffsetStoreError(`Cannot write offsets file '${this.#file}': ${(err as Error).message}`, { cause: err })
    }
  }

  async stop (): Promise<void> {
    await this.#writes
  }
}
