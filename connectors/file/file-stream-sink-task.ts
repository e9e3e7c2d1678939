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
    let text = ''
    for (const record of records) text += renderValue(record.value, record.valueSchema) + '\n'
    if (this.#fh !== null) {
      await this.#fh.write(text)
    } else if (!process.stdout.write(text)) {
      await new Promise<void>(resolve => process.stdout.once('drain', resolve))
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
