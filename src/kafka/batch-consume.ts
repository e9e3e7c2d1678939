/**
 * The batch consume addon (src/kafka/native/batch-consume.cc, built by `npm install`): consumes on a threadpool thread
 * and packs a whole batch into one Buffer there, which this module decodes with typed reads. node-rdkafka's own
 * consume builds one JavaScript object per message on the main thread (about 2.7 us each, half of a plain sink's
 * main-thread time); this costs a fraction of that. When the addon was not built (no compiler where the package was
 * installed) or without CONNECT_BATCH_CONSUME=on (opt-in, see loadBatchConsume), the consumer uses node-rdkafka's consume.
 */
import { createRequire } from 'node:module'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { RdConsumer, RdMessage } from './rdkafka-client.ts'

type BatchCallback = (err: (Error & { code?: number, isFatal?: boolean }) | null, batch?: Buffer, topics?: string[]) => void

interface NativeBatchConsume {
  batchConsume (consumer: object, max: number, timeoutMs: number, callback: BatchCallback): void
}

/** A consumed record as the sink reads it: node-rdkafka's message shape, plus the timestamp's type. */
export interface BatchMessage extends RdMessage {
  timestampType: 'CreateTime' | 'LogAppendTime' | 'NoTimestampType'
}

const ADDON = 'connect_batch_consume.node'
/** From src/kafka (tsx) and from dist/src/kafka (the build): the addon stays where node-gyp built it. */
const CANDIDATES = ['./native/build/Release/', '../../../src/kafka/native/build/Release/']

let loaded: NativeBatchConsume | null | undefined
let loadProblem: string | null = null

/** The addon, or null (and why, in batchConsumeProblem()) when it cannot be used. */
export function loadBatchConsume (): NativeBatchConsume | null {
  if (loaded !== undefined) return loaded
  loaded = null
  // Opt-in for now: a full CI run crashed a sink task test with SIGSEGV while the addon was in use (intermittent, not
  // yet explained), so sinks use node-rdkafka's consume unless CONNECT_BATCH_CONSUME=on.
  if (!/^(on|true|1)$/i.test(process.env.CONNECT_BATCH_CONSUME ?? '')) {
    loadProblem = 'the batch consume addon is opt-in (CONNECT_BATCH_CONSUME=on)'
    return loaded
  }
  const path = CANDIDATES.map(c => fileURLToPath(new URL(c + ADDON, import.meta.url))).find(p => existsSync(p))
  if (path === undefined) {
    loadProblem = 'the addon was not built (npm install builds it with node-gyp and a C++ compiler)'
    return loaded
  }
  try {
    const require = createRequire(import.meta.url)
    // node-rdkafka first: the addon links the librdkafka libraries it loads.
    require('node-rdkafka')
    loaded = require(path) as NativeBatchConsume
  } catch (err) {
    loadProblem = `the addon at ${path} did not load: ${(err as Error).message}`
  }
  return loaded
}

export function batchConsumeProblem (): string | null { return loadProblem }

const TIMESTAMP_TYPES = ['NoTimestampType', 'CreateTime', 'LogAppendTime'] as const

/** Consumes up to `max` messages into one packed batch; resolves with them decoded. */
export async function consumeBatch (addon: NativeBatchConsume, consumer: RdConsumer, max: number, timeoutMs: number): Promise<BatchMessage[]> {
  // node-rdkafka keeps the wrapped librdkafka consumer in `_client` (not in its typings).
  const handle = (consumer as unknown as { _client: object })._client
  return await new Promise((resolve, reject) => {
    addon.batchConsume(handle, max, timeoutMs, (err, batch, topics) => {
      if (err) reject(err)
      else resolve(decodeBatch(batch!, topics!))
    })
  })
}

/** Decodes the addon's layout (see batch-consume.cc). Keys, values and header values are views of the batch. */
export function decodeBatch (batch: Buffer, topics: readonly string[]): BatchMessage[] {
  if (batch.length < 4) return []
  const count = batch.readUInt32LE(0)
  const out = new Array<BatchMessage>(count)
  let at = 4
  for (let i = 0; i < count; i++) {
    const partition = batch.readInt32LE(at)
    const offset = batch.readDoubleLE(at + 4)
    const timestamp = batch.readDoubleLE(at + 12)
    const tsType = batch[at + 20]!
    const topic = topics[batch.readUInt16LE(at + 21)]!
    const keyLen = batch.readInt32LE(at + 23)
    const valueLen = batch.readInt32LE(at + 27)
    const headerCount = batch.readUInt32LE(at + 31)
    at += 35
    let key: Buffer | null = null
    if (keyLen >= 0) { key = batch.subarray(at, at + keyLen); at += keyLen }
    let value: Buffer | null = null
    if (valueLen >= 0) { value = batch.subarray(at, at + valueLen); at += valueLen }
    let headers: RdMessage['headers']
    if (headerCount > 0) {
      headers = new Array(headerCount)
      for (let h = 0; h < headerCount; h++) {
        const nameLen = batch.readUInt32LE(at)
        const name = batch.toString('utf8', at + 4, at + 4 + nameLen)
        at += 4 + nameLen
        const len = batch.readInt32LE(at)
        at += 4
        let hv: Buffer | null = null
        if (len >= 0) { hv = batch.subarray(at, at + len); at += len }
        headers[h] = { [name]: hv } as never
      }
    }
    out[i] = {
      topic,
      partition,
      offset,
      // Apache gives a record without a timestamp a null one; node-rdkafka's -1 is not a time.
      timestamp: tsType === 0 ? undefined : timestamp,
      timestampType: TIMESTAMP_TYPES[tsType] ?? 'NoTimestampType',
      key,
      value: value as Buffer,
      size: valueLen < 0 ? 0 : valueLen,
      headers
    }
  }
  return out
}
