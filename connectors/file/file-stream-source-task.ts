import { isAscii } from 'node:buffer'
import { open, stat, type FileHandle } from 'node:fs/promises'
import {
  ConnectError, IdleWait, Schemas, SourceTask, decodeUtf8Java, sourceRecord, type OffsetMap, type SourceRecord
} from '../../src/api/index.ts'
import { FILE_CONFIG, FILE_CONNECTOR_VERSION, FILE_SOURCE_CONFIG_DEF, TASK_BATCH_SIZE_CONFIG, TOPIC_CONFIG } from './config.ts'

const LF = 0x0a
const CR = 0x0d
/** Read size: one read fills about one batch of typical lines. */
const MIN_CHUNK = 256 * 1024
const MAX_CHUNK = 8 * 1024 * 1024
/** How long poll() waits when the file has nothing new (Apache waits 1 s; a shorter wait follows a growing file sooner). */
const IDLE_WAIT_MS = 250
const MISSING_FILE_WAIT_MS = 1000
const EMPTY = Buffer.alloc(0)

export const FILENAME_FIELD = 'filename'
export const POSITION_FIELD = 'position'

/**
 * Reads lines and emits one record per line, value = the line without its terminator (`\n`, `\r\n` or a lone `\r`).
 *
 * Unlike Apache's task, the offset `position` counts BYTES, the same unit used to resume, so files with multi-byte
 * UTF-8 text resume exactly where they stopped (Apache counts UTF-16 chars but skips bytes on restart).
 *
 * Also unlike Apache, it follows a rotated file as `tail -F` does: a file replaced under its name (log rotation by
 * rename) is read from its start once the old one is read to its end, and a file truncated in place (copytruncate),
 * or found shorter than the stored position at start, is read again from its start; each is logged. Apache keeps
 * reading the old file, or applies the old position to the new one and silently skips its first lines.
 */
export class FileStreamSourceTask extends SourceTask {
  #filename: string | null = null
  #topic = ''
  #batchSize = 2000
  #fh: FileHandle | null = null
  #stdinQueue: Buffer[] | null = null
  #stdinListener: ((chunk: Buffer) => void) | null = null
  #pending: Buffer = EMPTY
  /**
   * #pending decoded in one go when it is pure ASCII (then byte and character offsets agree and every line is a
   * slice of this string, far cheaper than decoding each line), with the offset of #pending's first byte in it;
   * null when #pending is not ASCII, undefined until checked.
   */
  #pendingText: string | null | undefined = undefined
  #pendingTextBase = 0
  /** The source partition of every record (one frozen object: the runtime may key on its identity). */
  #partition: OffsetMap = Object.freeze({ [FILENAME_FIELD]: null })
  /** Byte offset in the file of the next read. */
  #readPosition = 0
  /** Byte offset just after the last emitted line: the offset stored with each record. */
  #streamOffset = 0
  #chunkSize = MIN_CHUNK
  /** The open file's identity, to notice it being replaced under its name. */
  #identity: { dev: number, ino: number } | null = null
  /** Set when the file rotated: the next open starts at 0, whatever position the old file's records stored. */
  #fromStart = false
  readonly #idleWait = new IdleWait()
  #stopped = false
  // Cached scan positions: searching the whole buffer again for every line would be quadratic.
  #nextLf = -1
  #nextCr = -1

  version (): string { return FILE_CONNECTOR_VERSION }

  start (props: Readonly<Record<string, string>>): void {
    const config = FILE_SOURCE_CONFIG_DEF.parse(props)
    const file = config.string(FILE_CONFIG)
    this.#filename = file === null || file === '' ? null : file
    this.#topic = config.string(TOPIC_CONFIG) ?? ''
    this.#batchSize = config.int(TASK_BATCH_SIZE_CONFIG)
    this.#partition = Object.freeze({ [FILENAME_FIELD]: this.#filename })
    this.#stopped = false
  }

  async poll (signal: AbortSignal): Promise<SourceRecord[] | null> {
    if (this.#stopped) return null
    if (this.#filename === null) this.#openStdin()
    else if (this.#fh === null && !(await this.#openFile(signal))) return null

    const records: SourceRecord[] = []
    while (records.length < this.#batchSize && !this.#stopped) {
      this.#extractLines(records)
      if (records.length >= this.#batchSize) break
      const chunk = await this.#read()
      if (chunk === null) break
      this.#pending = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk])
      this.#pendingText = undefined
      this.#nextLf = -1
      this.#nextCr = -1
    }
    if (records.length > 0) return records
    // At the end of the file: has it been rotated or truncated meanwhile?
    if (this.#filename !== null && await this.#followRotation(records)) return records.length > 0 ? records : null
    await this.#idle(signal, IDLE_WAIT_MS)
    return null
  }

  /**
   * Called at the end of the file. A file now under our name that is not the one we read (renamed away and replaced)
   * is followed from its start; so is our file when it got shorter than what we read (truncated in place). An
   * unterminated last line of the old content is emitted as a line of its own: nothing will ever end it. Returns
   * whether it switched.
   */
  async #followRotation (records: SourceRecord[]): Promise<boolean> {
    const fh = this.#fh
    const filename = this.#filename!
    if (fh === null || this.#identity === null) return false
    let why: string
    try {
      const current = await stat(filename)
      if (current.ino !== this.#identity.ino || current.dev !== this.#identity.dev) {
        why = 'was replaced by a new file (rotated)'
      } else if ((await fh.stat()).size < this.#readPosition) {
        why = 'was truncated'
      } else {
        return false
      }
    } catch (err) {
      // Renamed away and not yet replaced: keep reading the old one (it may still grow) until the new one exists.
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false
      throw err
    }
    if (this.#pending.length > 0) {
      records.push(sourceRecord({
        sourcePartition: this.#partition,
        sourceOffset: { [POSITION_FIELD]: 0 },
        topic: this.#topic,
        kafkaPartition: null,
        valueSchema: Schemas.STRING,
        value: decodeUtf8Java(this.#pending),
        timestamp: Date.now()
      }))
    }
    console.warn(`File ${filename} ${why} after ${this.#readPosition} bytes: reading it from its start` +
      (this.#pending.length > 0 ? ` (its unterminated last line of ${this.#pending.length} bytes was sent as a line)` : ''))
    this.#fh = null
    this.#identity = null
    this.#fromStart = true
    await fh.close().catch(() => {})
    return true
  }

  stop (): void {
    this.#stopped = true
    this.#idleWait.wake()
    const fh = this.#fh
    this.#fh = null
    fh?.close().catch(() => {})
    if (this.#stdinListener) {
      process.stdin.off('data', this.#stdinListener)
      process.stdin.pause()
      this.#stdinListener = null
    }
  }

  async #openFile (signal: AbortSignal): Promise<boolean> {
    const filename = this.#filename!
    try {
      const fh = await open(filename, 'r')
      if (this.#stopped) {
        // stop() ran while the file was being opened: nothing else would close this handle.
        await fh.close()
        return false
      }
      const offset = this.#fromStart ? null : this.context.offsetStorageReader().offset({ [FILENAME_FIELD]: filename })
      this.#fromStart = false
      let position = 0
      const info = await fh.stat()
      if (offset !== null) {
        const raw = offset[POSITION_FIELD]
        if (typeof raw === 'bigint') position = Number(raw)
        else if (typeof raw === 'number' && Number.isInteger(raw) && raw >= 0) position = raw
        else if (raw !== null && raw !== undefined) {
          await fh.close()
          throw new ConnectError(`Offset position is the incorrect type for file '${filename}': ${JSON.stringify(String(raw))}`)
        }
      }
      // A position past the end: the file was truncated or replaced while we were stopped. Apache would skip that
      // many bytes of the new content; we read it all and say why.
      if (position > info.size) {
        console.warn(`File ${filename} is shorter (${info.size} bytes) than the stored position (${position}): it was truncated or replaced; reading it from its start`)
        position = 0
      }
      this.#identity = { dev: info.dev, ino: info.ino }
      this.#fh = fh
      this.#readPosition = position
      this.#streamOffset = position
      this.#pending = EMPTY
      this.#pendingText = undefined
      return true
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        console.warn(`Couldn't find file ${filename} for FileStreamSourceTask, sleeping to wait for it to be created`)
        await this.#idle(signal, MISSING_FILE_WAIT_MS)
        return false
      }
      throw err
    }
  }

  #openStdin (): void {
    if (this.#stdinQueue !== null) return
    const queue: Buffer[] = []
    this.#stdinQueue = queue
    this.#stdinListener = (chunk: Buffer) => {
      queue.push(chunk)
      // Bounded memory: stop reading stdin until poll() drains what is queued.
      if (queue.length > 64) process.stdin.pause()
      this.#idleWait.wake()
    }
    process.stdin.on('data', this.#stdinListener)
    process.stdin.resume()
  }

  async #read (): Promise<Buffer | null> {
    if (this.#stdinQueue !== null) {
      const next = this.#stdinQueue.shift() ?? null
      if (this.#stdinQueue.length === 0 && this.#stdinListener) process.stdin.resume()
      return next
    }
    const fh = this.#fh
    if (fh === null) return null
    if (this.#pending.length >= this.#chunkSize && this.#chunkSize < MAX_CHUNK) {
      // A line longer than the buffer: read bigger chunks so very long lines are not assembled from tiny pieces.
      this.#chunkSize = Math.min(this.#chunkSize * 2, MAX_CHUNK)
    }
    // A fresh buffer per read: the lines handed out may still point into the previous one.
    const chunk = Buffer.allocUnsafe(this.#chunkSize)
    let bytesRead: number
    try {
      ({ bytesRead } = await fh.read(chunk, 0, chunk.length, this.#readPosition))
    } catch (err) {
      // stop() closed the handle under us: nothing more to read.
      if (this.#stopped) return null
      throw err
    }
    if (bytesRead === 0) return null
    this.#readPosition += bytesRead
    // A short read (a file being appended to) is copied out, so it does not keep the whole buffer alive.
    return bytesRead < chunk.length / 4 ? Buffer.from(chunk.subarray(0, bytesRead)) : chunk.subarray(0, bytesRead)
  }

  #extractLines (records: SourceRecord[]): void {
    const buf = this.#pending
    let start = 0
    const partition = this.#partition
    const stdin = this.#filename === null
    if (this.#pendingText === undefined) {
      this.#pendingText = isAscii(buf) ? buf.toString('latin1') : null
      this.#pendingTextBase = 0
    }
    const text = this.#pendingText
    const base = this.#pendingTextBase
    while (records.length < this.#batchSize) {
      if (this.#nextLf < start) { this.#nextLf = buf.indexOf(LF, start); if (this.#nextLf === -1) this.#nextLf = Infinity }
      if (this.#nextCr < start) { this.#nextCr = buf.indexOf(CR, start); if (this.#nextCr === -1) this.#nextCr = Infinity }
      const end = Math.min(this.#nextLf, this.#nextCr)
      if (end === Infinity) break
      let terminator = 1
      if (end === this.#nextCr) {
        // A lone CR at the end of what we have may be the first half of CRLF: wait for the next byte.
        if (end + 1 >= buf.length) break
        if (buf[end + 1] === LF) terminator = 2
      }
      // Malformed bytes become U+FFFD exactly as Java's decoder (Apache's InputStreamReader) replaces them.
      const line = text !== null ? text.slice(base + start, base + end) : decodeUtf8Java(buf, start, end)
      const consumed = end + terminator - start
      this.#streamOffset += consumed
      start = end + terminator
      records.push(sourceRecord({
        sourcePartition: partition,
        sourceOffset: { [POSITION_FIELD]: stdin ? null : this.#streamOffset },
        topic: this.#topic,
        kafkaPartition: null,
        valueSchema: Schemas.STRING,
        value: line,
        timestamp: Date.now()
      }))
    }
    if (start > 0) {
      this.#pending = start >= buf.length ? EMPTY : buf.subarray(start)
      this.#pendingTextBase += start
      // Scan positions are relative to the old buffer start.
      this.#nextLf = this.#nextLf === Infinity ? Infinity : this.#nextLf - start
      this.#nextCr = this.#nextCr === Infinity ? Infinity : this.#nextCr - start
      if (this.#nextLf === Infinity) this.#nextLf = -1
      if (this.#nextCr === Infinity) this.#nextCr = -1
    }
  }

  async #idle (signal: AbortSignal, ms: number): Promise<void> {
    if (this.#stopped) return
    await this.#idleWait.wait(signal, ms)
  }

}
