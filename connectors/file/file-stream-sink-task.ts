import { open, type FileHandle } from 'node:fs/promises'
import { ConnectError, SinkTask, type SinkRecord, type TopicPartitionOffset } from '../../src/api/index.ts'
import { FILE_CONFIG, FILE_CONNECTOR_VERSION, FILE_SINK_CONFIG_DEF } from './config.ts'
import { renderValue } from './render-value.ts'

/**
 * Appends each record's value as a line. Lines are written per batch; flush() (called before every offset commit)
 * fsyncs the file, so committed offsets never run ahead of what is on disk. Only files with storage behind them are
 * synced: a character device (/dev/null, a terminal), a FIFO or a socket has nothing to sync and fails fsync with
 * EINVAL, which would fail every commit: for those, the write is all a commit needs.
 */
/** Characters of lines joined before they are encoded and written (see put()). */
const CHUNK_CHARS = 64 * 1024

export class FileStreamSinkTask extends SinkTask {
  #filename: string | null = null
  #fh: FileHandle | null = null
  /** Whether the file has storage to sync (a regular file or a block device); found once, when it is opened. */
  #syncs = false

  version (): string { return FILE_CONNECTOR_VERSION }

  async start (props: Readonly<Record<string, string>>): Promise<void> {
    const config = FILE_SINK_CONFIG_DEF.parse(props)
    const file = config.string(FILE_CONFIG)
    this.#filename = file === null || file === '' ? null : file
    if (this.#filename !== null) {
      try {
        this.#fh = await open(this.#filename, 'a')
      } catch (err) {
        throw new ConnectError(`Couldn't find or create file '${this.#filename}' for FileStreamSinkTask`, { cause: err })
      }
      const stats = await this.#fh.stat()
      this.#syncs = stats.isFile() || stats.isBlockDevice()
    }
  }

  async put (records: readonly SinkRecord[]): Promise<void> {
    if (records.length === 0) return
    // The batch's lines are joined into chunks of about 64 KB, each encoded on its own. One string for the whole batch
    // was slow for large values: encoding the 50 MB rope of 500 values of 100 KB ran at about 110 MB/s (a third of
    // encoding the values one by one), most of that sink's time in bench scenario s.
    const chunks: Buffer[] = []
    let text = ''
    for (const record of records) {
      text += renderValue(record.value, record.valueSchema) + '\n'
      if (text.length >= CHUNK_CHARS) { chunks.push(Buffer.from(text, 'utf8')); text = '' }
    }
    if (text !== '') chunks.push(Buffer.from(text, 'utf8'))
    if (this.#fh !== null) {
      await this.#fh.writev(chunks)
      return
    }
    for (const chunk of chunks) {
      if (!process.stdout.write(chunk)) await new Promise<void>(resolve => process.stdout.once('drain', resolve))
    }
  }

  override async flush (_offsets: readonly TopicPartitionOffset[]): Promise<void> {
    if (this.#syncs) await this.#fh?.datasync()
  }

  async stop (): Promise<void> {
    const fh = this.#fh
    this.#fh = null
    if (fh !== null) {
      if (this.#syncs) await fh.datasync().catch(() => {})
      await fh.close()
    }
  }
}
