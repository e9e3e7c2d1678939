/**
 * Source offsets in a compacted Kafka topic, in Apache Connect distributed's format (its KafkaOffsetBackingStore), so
 * that offsets survive the loss of the machine, several runners can share one topic, and offsets move between this
 * runtime and an Apache Connect distributed cluster both ways.
 *
 * Each record: key `["<connector>",{partition}]`, value `{offset}` (both as offset-key.ts writes them, byte for byte
 * as Apache's internal JsonConverter), a null value for a tombstone; keyed, so the producer's murmur2 partitioner puts
 * it in the partition Java's default partitioner would. The last record of a key (in its partition's order) wins.
 *
 * Reading (through an OffsetLog, src/kafka/kafka-based-log.ts in the CLI): start() creates the topic when it is
 * missing (compacted, offset.storage.partitions and offset.storage.replication.factor, as Apache distributed), refuses
 * an existing one that is not compacted, and reads every partition from the beginning to the end offsets it found,
 * before any task starts. Afterwards the log keeps reading what other runners write, in the background (Apache's
 * get() reads to the end instead, which a synchronous get() cannot), so get() answers from memory; readToEnd()
 * catches up for certain, and the REST offsets endpoints call it first, as Apache does.
 *
 * Writing: set() updates memory at once (so this runner never reads its own offsets go backwards while its records
 * travel) and resolves once Kafka acknowledged every record (acks=all, idempotent producer). A record read back from
 * the topic replaces memory only once every write of that key from here has been read back or has failed.
 */
import { OffsetStoreError } from '../api/errors.ts'
import { createLogger, type Logger } from '../util/logger.ts'
import type { SourceOffsetEntry } from './file-offset-backing-store.ts'
import { canonicalPartitionKey, connectorOffsets, lookupOffset, decodeOffsetKey, decodeOffsetValue, encodeOffsetKey, encodeOffsetValue, parseOffsetKey } from './offset-key.ts'

/** One record of the topic as the log hands it over, in its partition's order. */
export interface OffsetLogRecord {
  key: Buffer | null
  value: Buffer | null
  partition: number
  offset: number
}

/**
 * The topic underneath (src/kafka/kafka-based-log.ts, as Apache's KafkaBasedLog): creates or checks it, reads it to
 * its end at start and keeps reading in the background, writes keyed records acknowledged by every in-sync replica.
 */
export interface OffsetLog {
  readonly topic: string
  start (onRecord: (record: OffsetLogRecord) => void): Promise<void>
  readToEnd (timeoutMs?: number): Promise<void>
  send (key: Buffer, value: Buffer | null): Promise<{ partition: number, offset: number }>
  stop (timeoutMs?: number): Promise<void>
}

export interface KafkaOffsetBackingStoreOptions {
  logger?: Logger
}

/** One local write of one record, until it is read back from the topic (or fails). */
interface PendingWrite {
  value: Buffer | null
  partition: number | null
  offset: number | null
}

interface Entry {
  connector: string
  partition: Record<string, unknown>
  /** The key bytes seen for this partition (normally one); writes go to all, so Java finds them whatever it computes. */
  keys: Buffer[]
  /** The last record read from the topic, and where it was. */
  logValue: Buffer | null
  logAt: { partition: number, offset: number } | null
  pending: PendingWrite[]
  /** What get() answers: the last local write still travelling, else the last record read. */
  value: Buffer | null
  offset: Record<string, unknown> | null
}

export class KafkaOffsetBackingStore {
  readonly #log: OffsetLog
  readonly #logger: Logger
  readonly #entries = new Map<string, Entry>()
  readonly #warnedKeys = new Set<string>()
  readonly #inflight = new Set<Promise<unknown>>()
  #running = false

  constructor (log: OffsetLog, options: KafkaOffsetBackingStoreOptions = {}) {
    this.#log = log
    this.#logger = options.logger ?? createLogger('KafkaOffsetBackingStore')
  }

  get topic (): string { return this.#log.topic }

  /** An OffsetStoreError naming the topic (kept as it is when the cause's message already names it). */
  #error (what: string, cause: unknown): OffsetStoreError {
    if (cause instanceof OffsetStoreError) return cause
    const message = (cause as Error | undefined)?.message ?? String(cause)
    const text = message.includes(`'${this.topic}'`) ? `${what}: ${message}` : `${what} (topic '${this.topic}', offset.storage.topic): ${message}`
    return new OffsetStoreError(text, { cause })
  }

  /** Creates or checks the topic and reads it to its end, before any task starts. Throws OffsetStoreError. */
  async start (): Promise<void> {
    if (this.#running) return
    this.#logger.info(`Starting KafkaOffsetBackingStore with topic ${this.topic}`)
    try {
      await this.#log.start(record => { this.#apply(record) })
    } catch (err) {
      throw this.#error('Cannot use the source offsets topic', err)
    }
    this.#running = true
    this.#logger.info(`Finished reading offsets topic ${this.topic} (${[...this.#entries.values()].filter(e => e.value !== null).length} source partitions with offsets) and starting KafkaOffsetBackingStore`)
  }

  /** Catches up with what other runners wrote to the topic (Apache's get() always does), for the REST offsets endpoints. */
  async readToEnd (): Promise<void> {
    try {
      await this.#log.readToEnd()
    } catch (err) {
      throw this.#error('Cannot read the source offsets topic to its end', err)
    }
  }

  /** One record read from the topic (Apache's consumedCallback and OffsetUtils.processPartitionKey). */
  #apply (m: OffsetLogRecord): void {
    const key = m.key
    if (key === null) {
      this.#warnOnce('null', `Ignoring a record of the offsets topic ${this.topic} without a key (partition ${m.partition}, offset ${m.offset})`)
      return
    }
    const parsed = parseOffsetKey(key)
    if (!parsed.ok) {
      // Apache ignores ["name",null] silently and warns about anything else.
      if (!parsed.nullPartition) {
        this.#warnOnce(key.toString('base64'), `Ignoring a record of the offsets topic ${this.topic} whose key is not ["<connector>",{partition}]: ${parsed.reason}. Key: ${preview(key)}`)
      }
      return
    }
    const entry = this.#entry(parsed.key.connector, parsed.key.partition, key)
    entry.logValue = m.value ?? null
    entry.logAt = { partition: m.partition, offset: m.offset }
    this.#settle(entry)
  }

  #warnOnce (id: string, message: string): void {
    if (this.#warnedKeys.has(id)) return
    this.#warnedKeys.add(id)
    this.#logger.warn(message)
  }

  #entry (connector: string, partition: Record<string, unknown>, key: Buffer): Entry {
    const id = canonicalPartitionKey(connector, partition)
    let entry = this.#entries.get(id)
    if (entry === undefined) {
      entry = { connector, partition, keys: [key], logValue: null, logAt: null, pending: [], value: null, offset: null }
      this.#entries.set(id, entry)
    } else if (!entry.keys.some(k => k.equals(key))) {
      entry.keys.push(key)
    }
    return entry
  }

  /** Drops the local writes the topic has caught up with, then recomputes what get() answers. */
  #settle (entry: Entry): void {
    const at = entry.logAt
    if (at !== null && entry.pending.length > 0) {
      entry.pending = entry.pending.filter(w => !(w.partition === at.partition && w.offset !== null && w.offset <= at.offset))
    }
    const value = entry.pending.length > 0 ? entry.pending[entry.pending.length - 1]!.value : entry.logValue
    if (value === entry.value || (value !== null && entry.value !== null && value.equals(entry.value))) return
    entry.value = value
    entry.offset = null
    if (value === null) return
    try {
      entry.offset = decodeOffsetValue(value)
    } catch (err) {
      // Apache's OffsetStorageReaderImpl logs this and hands the task a null offset.
      this.#logger.warn(`Cannot decode the stored offset of ${preview(entry.keys[0]!)} in the offsets topic ${this.topic}, so it reads as no offset: ` +
        `${(err as Error).message}. Value: ${preview(value)}`)
    }
  }

  /** The offset of one partition of `connector`, looked up structurally; null when there is none. */
  get (connector: string, partition: Readonly<Record<string, unknown>>): Record<string, unknown> | null {
    return lookupOffset(this.#entries, connector, partition)
  }

  /** Every partition of `connector` with an offset (tombstoned ones left out, as Apache's partition index does). */
  getAll (connector: string): SourceOffsetEntry[] {
    return connectorOffsets(this.#entries, connector)
  }

  // ---- Writing ----------------------------------------------------------------------------------------------------

  /**
   * Writes offsets of `connector` (a null offset is a tombstone) and resolves once Kafka acknowledged every record.
   * Throws DataError, before changing anything, for a non-primitive field; OffsetStoreError when a record cannot be
   * delivered.
   */
  async set (connector: string, entries: readonly SourceOffsetEntry[]): Promise<void> {
    if (!this.#running) throw this.#error('Cannot write source offsets', new Error('the store is not running'))
    // Encode everything first, so an invalid entry leaves the store unchanged.
    const updates = entries.map(({ partition, offset }) => ({
      key: encodeOffsetKey(connector, partition),
      value: offset === null ? null : encodeOffsetValue(offset)
    }))
    const sends: Array<Promise<void>> = []
    for (const { key, value } of updates) {
      const entry = this.#entry(connector, decodeOffsetKey(key)!.partition, key)
      // Every known byte form of the key: Java looks keys up byte for byte, in its own field order.
      for (const k of entry.keys) {
        const write: PendingWrite = { value, partition: null, offset: null }
        entry.pending.push(write)
        sends.push(this.#log.send(k, value).then(report => {
          write.partition = report.partition
          write.offset = report.offset
          this.#settle(entry)
        }, (err: unknown) => {
          entry.pending = entry.pending.filter(w => w !== write)
          this.#settle(entry)
          throw this.#error(`Cannot write the source offset of ${preview(k)}`, err)
        }))
      }
      this.#settle(entry)
    }
    const all = Promise.all(sends).then(() => {})
    this.#inflight.add(all)
    try {
      await all
    } finally {
      this.#inflight.delete(all)
    }
  }

  // ---- Stop -------------------------------------------------------------------------------------------------------

  /** Waits (bounded) for writes in progress, then stops reading and closes the clients. */
  async stop (timeoutMs = 5000): Promise<void> {
    if (!this.#running) return
    const deadline = Date.now() + timeoutMs
    if (this.#inflight.size > 0) {
      let timer: NodeJS.Timeout | undefined
      await Promise.race([
        Promise.allSettled([...this.#inflight]),
        new Promise(resolve => { timer = setTimeout(resolve, Math.max(0, deadline - Date.now())) })
      ]).finally(() => { clearTimeout(timer) })
      if (this.#inflight.size > 0) this.#logger.warn(`Source offsets written to topic ${this.topic} were not acknowledged within ${timeoutMs} ms of the stop`)
    }
    this.#running = false
    await this.#log.stop(Math.max(1000, deadline - Date.now()))
    this.#logger.info('Stopped KafkaOffsetBackingStore')
  }
}

/** Stored bytes for a log line: text, shortened. */
function preview (bytes: Buffer | null): string {
  if (bytes === null) return 'null'
  const text = bytes.toString('utf8')
  return text.length > 200 ? `${text.slice(0, 200)}…` : text
}
