/**
 * The standalone worker's source offsets file, in Apache's FileOffsetBackingStore format (a Java-serialised
 * HashMap<byte[], byte[]> of JSON keys and values), so a worker can move between Apache and this runtime both ways.
 *
 * Deliberate differences from Apache:
 * - Writes are atomic (temp file, fsync, rename, fsync of the directory). Apache truncates the file in place, so a
 *   crash mid-write leaves a truncated file.
 * - A truncated or corrupt file stops start-up. Apache silently starts from empty, re-reading every source from the
 *   beginning; we would rather make the operator decide.
 * - Lookups are structural (field order does not matter), not byte-exact. To keep Java's byte-exact lookups working
 *   on our files, an existing partition keeps its stored key bytes when its offset is updated.
 * Entries of other connectors, keys Apache would ignore and tombstones (null values) are all kept, as Apache keeps them.
 */
import { readFile } from 'node:fs/promises'
import { OffsetStoreError } from '../api/errors.ts'
import { removeLeftoverTempFiles, writeFileAtomically } from './atomic-file.ts'
import { decodeOffsetsFile, encodeOffsetsFile, type OffsetsFileEntry } from '../java/serialization.ts'
import { canonicalPartitionKey, connectorOffsets, lookupOffset, decodeOffsetKey, decodeOffsetValue, encodeOffsetKey, encodeOffsetValue, parseOffsetKey } from './offset-key.ts'

export interface SourceOffsetEntry {
  partition: Record<string, unknown>
  /** null: no offset (a tombstone when setting). */
  offset: Record<string, unknown> | null
}

export interface FileOffsetBackingStoreOptions {
  logger?: { warn (msg: string): void }
}

interface Entry {
  /**
   * The stored key bytes. Usually one; several when the file holds byte-different keys for the same partition (e.g.
   * written with different field orders). All of them are kept and updated together, so Java finds the new offset
   * whichever bytes it computes.
   */
  keys: Buffer[]
  value: Buffer | null
  /** null for keys that are not ["<connector>",{partition}]: kept byte for byte, never looked up. */
  connector: string | null
  partition: Record<string, unknown>
  /** The decoded value; null for a tombstone or for a value that cannot be decoded (Apache also returns null then). */
  offset: Record<string, unknown> | null
}

const RECOVERY_HINT = 'Refusing to start rather than silently losing every source offset: move it away to start from scratch, or restore a backup.'

export class FileOffsetBackingStore {
  readonly #file: string
  readonly #warn: (msg: string) => void
  /** Every entry of the file, in file order then insertion order, by canonical partition key (or raw key bytes). */
  readonly #entries = new Map<string, Entry>()
  #started = false
  /** The write in progress, and the one queued behind it (which all later set() calls share). */
  #running: Promise<void> | null = null
  #queued: Promise<void> | null = null

  constructor (filename: string, options: FileOffsetBackingStoreOptions = {}) {
    this.#file = filename
    const logger = options.logger
    this.#warn = logger ? msg => { logger.warn(msg) } : () => {}
  }

  get filename (): string { return this.#file }

  /** Loads the file once. A missing file is an empty store; an unreadable or corrupt one throws OffsetStoreError. */
  async start (): Promise<void> {
    if (this.#started) return
    const leftovers = await removeLeftoverTempFiles(this.#file)
    if (leftovers.length > 0) this.#warn(`Removed ${leftovers.length} temporary file(s) an interrupted write of the source offsets file '${this.#file}' left behind (${leftovers.join(', ')}); the file itself is whole`)
    let buf: Buffer
    try {
      buf = await readFile(this.#file)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        this.#started = true
        return
      }
      throw new OffsetStoreError(`Cannot read the source offsets file '${this.#file}': ${(err as Error).message}`, { cause: err })
    }
    let stored: OffsetsFileEntry[]
    try {
      stored = decodeOffsetsFile(buf, this.#file)
    } catch (err) {
      throw new OffsetStoreError(`${(err as Error).message}. ${RECOVERY_HINT}`, { cause: err })
    }
    for (const [key, value] of stored) this.#load(key, value)
    this.#started = true
  }

  #load (key: Buffer, value: Buffer | null): void {
    const parsed = parseOffsetKey(key)
    if (!parsed.ok) {
      // Apache ignores ["name",null] silently and warns about anything else; both stay in the file untouched.
      if (!parsed.nullPartition) {
        this.#warn(`Ignoring an entry of the offsets file '${this.#file}' whose key is not ["<connector>",{partition}]: ` +
          `${parsed.reason}. Key: ${preview(key)}`)
      }
      this.#entries.set(`raw:${key.toString('base64')}`, { keys: [key], value, connector: null, partition: {}, offset: null })
      return
    }
    const { connector, partition } = parsed.key
    const id = canonicalPartitionKey(connector, partition)
    const existing = this.#entries.get(id)
    if (existing && !existing.keys.some(k => k.equals(key))) {
      existing.keys.push(key)
      if (!sameBytes(existing.value, value)) {
        this.#warn(`The offsets file '${this.#file}' holds ${existing.keys.length} differently written keys for the same ` +
          `partition ${preview(key)} with different offsets; using ${preview(existing.value)} and writing it for all of them`)
      }
      return
    }
    let offset: Record<string, unknown> | null = null
    if (value !== null) {
      try {
        offset = decodeOffsetValue(value)
      } catch (err) {
        // Apache's OffsetStorageReaderImpl logs this and hands the task a null offset; the bytes stay as they are.
        this.#warn(`Cannot decode the stored offset of ${preview(key)} in '${this.#file}', so it reads as no offset: ` +
          `${(err as Error).message}. Value: ${preview(value)}`)
      }
    }
    if (existing) {
      // The same key bytes twice (only possible in a hand-made file): the last one wins, as when Apache loads it.
      existing.value = value
      existing.offset = offset
    } else {
      this.#entries.set(id, { keys: [key], value, connector, partition, offset })
    }
  }

  /** The offset of one partition of `connector`, looked up structurally; null when there is none. */
  get (connector: string, partition: Readonly<Record<string, unknown>>): Record<string, unknown> | null {
    return lookupOffset(this.#entries, connector, partition)
  }

  /**
   * Every partition of `connector` with an offset, in file order. Tombstoned partitions are left out, as Apache's
   * partition index leaves them out; a partition whose stored offset cannot be decoded is listed with a null offset.
   */
  getAll (connector: string): SourceOffsetEntry[] {
    return connectorOffsets(this.#entries, connector)
  }

  /**
   * Merges offsets of `connector` into the store (a null offset is a tombstone, written as a null value as Apache does)
   * and rewrites the whole file atomically. Throws DataError, before changing anything, for a non-primitive field;
   * OffsetStoreError when the file cannot be written (the merged offsets stay in memory for the next write).
   */
  async set (connector: string, entries: readonly SourceOffsetEntry[]): Promise<void> {
    // Encode everything first, so an invalid entry leaves the store unchanged.
    const updates = entries.map(({ partition, offset }) => ({
      id: canonicalPartitionKey(connector, partition),
      key: encodeOffsetKey(connector, partition),
      value: offset === null ? null : encodeOffsetValue(offset)
    }))
    for (const { id, key, value } of updates) {
      // What a restart would read back, so get() answers the same before and after one (bytes as base64, etc.).
      const offset = value === null ? null : decodeOffsetValue(value)
      const existing = this.#entries.get(id)
      if (existing) {
        // Keep the stored key bytes: Java looks keys up byte for byte, in its own field order.
        existing.value = value
        existing.offset = offset
      } else {
        this.#entries.set(id, { keys: [key], value, connector, partition: decodeOffsetKey(key)!.partition, offset })
      }
    }
    await this.#scheduleWrite()
  }

  /** Waits for writes in progress. The store stays usable; nothing else needs releasing. */
  async stop (): Promise<void> {
    while (this.#running !== null || this.#queued !== null) {
      await (this.#queued ?? this.#running)?.catch(() => {})
    }
  }

  /**
   * Writes are serialised, and every set() arriving while a write runs shares the single write queued behind it, which
   * snapshots memory only when it starts and so includes all of them.
   */
  #scheduleWrite (): Promise<void> {
    if (this.#queued !== null) return this.#queued
    const previous = this.#running ?? Promise.resolve()
    const write: Promise<void> = previous.catch(() => {}).then(async () => {
      this.#queued = null
      this.#running = write
      try {
        await this.#writeAtomically(encodeOffsetsFile(this.#snapshot()))
      } finally {
        if (this.#running === write) this.#running = null
      }
    })
    this.#queued = write
    return write
  }

  #snapshot (): OffsetsFileEntry[] {
    const out: OffsetsFileEntry[] = []
    for (const e of this.#entries.values()) {
      for (const key of e.keys) out.push([key, e.value])
    }
    return out
  }

  async #writeAtomically (data: Buffer): Promise<void> {
    await writeFileAtomically(this.#file, data, { what: 'source offsets file' })
  }

}

function sameBytes (a: Buffer | null, b: Buffer | null): boolean {
  return a === null || b === null ? a === b : a.equals(b)
}

/** Stored bytes for a log line: text, shortened. */
function preview (bytes: Buffer | null): string {
  if (bytes === null) return 'null'
  const text = bytes.toString('utf8')
  return text.length > 200 ? `${text.slice(0, 200)}…` : text
}
