/**
 * Dry run: shows what a connector's pipeline does to records, with no broker. JSON lines in on stdin, JSON lines out
 * on stdout.
 *
 * Source connector: each input line is a record as a source task returns it, with key, value and header values in
 * JsonConverter's envelope form ({"schema", "payload"}); each output line is the Kafka record that would be produced,
 * bytes shown as a JSON string when they are valid UTF-8, else {"base64": …}. Sink connector: the reverse — Kafka
 * records in, the record put() would receive (envelope form) out. Records dropped by a transformation print nothing.
 */
import { createInterface } from 'node:readline'
import type { Readable, Writable } from 'node:stream'
import {
  ConnectError, Headers, sinkRecord, sourceRecord,
  type ConnectRecord, type Schema, type SinkRecord, type SourceRecord
} from '../api/index.ts'
import { parseConnectorConfig } from '../config/connector-config.ts'
import { JsonConverter } from '../converters/json/json-converter.ts'
import { assertSendableHeader } from '../kafka/rdkafka-producer.ts'
import type { PluginRegistry } from '../plugins/registry.ts'
import { buildConverters, type WorkerConverterSettings } from './connector-converters.ts'
import { TransformationChain } from './transformation-chain.ts'

export type DryRunStage = 'input' | 'transformation' | 'key conversion' | 'value conversion' | 'header conversion'

export class DryRunError extends ConnectError {
  readonly line: number
  readonly stage: DryRunStage
  constructor (line: number, stage: DryRunStage, cause: unknown) {
    super(`Input line ${line} failed at ${stage}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause })
    this.name = 'DryRunError'
    this.line = line
    this.stage = stage
  }
}

export interface DryRunOptions {
  kind: 'source' | 'sink'
  connectorConfig: Readonly<Record<string, string>>
  worker: WorkerConverterSettings
  registry: PluginRegistry
  input: Readable
  output: Writable
  /** Where tolerated failures are reported (errors.tolerance=all), with the error (the pipeline tests match it). */
  report: (message: string, error: DryRunError) => void
}

export interface DryRunResult { read: number, written: number, dropped: number, skipped: number }

/** The envelope codec: JsonConverter with schemas, as the input and output formats are defined. */
const envelope = new JsonConverter()
envelope.configure({ 'schemas.enable': 'true' }, false)
/** Plain JSON through the same converter, so 64-bit integers in input lines stay exact (JSON.parse would round them). */
const plain = new JsonConverter()
plain.configure({ 'schemas.enable': 'false' }, false)

type Node = Map<string, unknown>

function fromEnvelope (node: unknown, what: string): { schema: Schema | null, value: unknown } {
  if (node === null || node === undefined) return { schema: null, value: null }
  if (!(node instanceof Map)) throw new Error(`${what} must be {"schema": …, "payload": …} or null`)
  return envelope.toConnectData('', Headers.EMPTY, plain.fromConnectData('', Headers.EMPTY, null, node))
}

/** The envelope JSON text of a value (raw text, so 64-bit integers stay exact). */
function toEnvelopeText (schema: Schema | null, value: unknown): string {
  if (schema === null && (value === null || value === undefined)) return '{"schema":null,"payload":null}'
  return envelope.fromConnectData('', Headers.EMPTY, schema, value)!.toString('utf8')
}

// ignoreBOM keeps a leading byte order mark in the text (the default decoder drops it, hiding 3 bytes Kafka gets).
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })
function bytesText (bytes: Buffer | null): string {
  if (bytes === null) return 'null'
  try {
    return JSON.stringify(utf8.decode(bytes))
  } catch {
    return JSON.stringify({ base64: bytes.toString('base64') })
  }
}

/**
 * U+FEFF is invisible on a terminal: each one in a shown line is written as the JSON escape \ufeff, which reads back as
 * the same character. (It can only stand inside a JSON string: JSON allows no other place for it.)
 */
function showByteOrderMarks (line: string): string {
  return line.includes('\ufeff') ? line.replace(/\ufeff/g, '\\ufeff') : line
}

function bytesFrom (node: unknown, what: string): Buffer | null {
  if (node === null || node === undefined) return null
  if (typeof node === 'string') return Buffer.from(node, 'utf8')
  if (node instanceof Map && typeof node.get('base64') === 'string') return Buffer.from(node.get('base64') as string, 'base64')
  throw new Error(`${what} must be a string, {"base64": "…"} or null`)
}

function numberOrNull (node: unknown, what: string): number | null {
  if (node === null || node === undefined) return null
  if (typeof node === 'bigint') return Number(node)
  if (typeof node !== 'number' || !Number.isInteger(node)) throw new Error(`${what} must be an integer or null`)
  return node
}

function objectLine (text: string): Node {
  let node: unknown
  try {
    node = plain.toConnectData('', Headers.EMPTY, Buffer.from(text, 'utf8')).value
  } catch {
    throw new Error(`not valid JSON: ${text.length > 80 ? text.slice(0, 80) + '…' : text}`)
  }
  if (!(node instanceof Map)) throw new Error('each line must be a JSON object')
  return node as Node
}

function headerList (node: unknown): Array<{ key: string, value: unknown }> {
  if (node === undefined || node === null) return []
  if (!Array.isArray(node)) throw new Error('"headers" must be an array of {"key", "value"}')
  return node.map((h: unknown, i) => {
    if (!(h instanceof Map) || typeof h.get('key') !== 'string') throw new Error(`headers[${i}] must have a string "key"`)
    return { key: h.get('key') as string, value: h.get('value') }
  })
}

export async function runDryRun (o: DryRunOptions): Promise<DryRunResult> {
  const config = parseConnectorConfig(o.connectorConfig, o.kind)
  const tolerateAll = config.errors.tolerance === 'all'
  const { keyConverter, valueConverter, headerConverter } = buildConverters(config, o.worker, o.registry)
  const chain = TransformationChain.of<ConnectRecord & (SourceRecord | SinkRecord)>(config.transformationChain, o.registry)
  const result: DryRunResult = { read: 0, written: 0, dropped: 0, skipped: 0 }
  let lineNo = 0

  const stage = <T>(name: DryRunStage, fn: () => T): T => {
    try { return fn() } catch (err) { throw new DryRunError(lineNo, name, err) }
  }
  // Converters may wait (a Schema Registry converter meeting a new schema).
  const waitingStage = async <T>(name: DryRunStage, fn: () => T | Promise<T>): Promise<T> => {
    try { return await fn() } catch (err) { throw new DryRunError(lineNo, name, err) }
  }

  const sourceLine = async (n: Node): Promise<string | null> => {
    const node = Object.fromEntries(n)
    const { topic, partition, timestamp, key, value, headers } = stage('input', () => {
      if (typeof node.topic !== 'string' || node.topic === '') throw new Error('"topic" must be a non-empty string')
      let hs = Headers.EMPTY
      for (const h of headerList(node.headers)) {
        const sv = fromEnvelope(h.value, `header ${h.key}`)
        hs = hs.with(h.key, sv.value, sv.schema)
      }
      return {
        topic: node.topic,
        partition: numberOrNull(node.partition, '"partition"'),
        timestamp: numberOrNull(node.timestamp, '"timestamp"'),
        key: fromEnvelope(node.key, '"key"'),
        value: fromEnvelope(node.value, '"value"'),
        headers: hs
      }
    })
    const record = sourceRecord({ topic, kafkaPartition: partition, timestamp, keySchema: key.schema, key: key.value, valueSchema: value.schema, value: value.value, headers })
    const out = stage('transformation', () => chain.apply(record)) as SourceRecord | null
    if (out === null) return null
    // The source task's order (Apache's): headers, then key, then value.
    const headerTexts = await waitingStage('header conversion', async () => {
      const texts: string[] = []
      for (const h of out.headers) {
        const bytes = await headerConverter.fromConnectHeader(out.topic, h.key, h.schema, h.value)
        // As the real source task does (WorkerSourceTask): what node-rdkafka would alter is refused, not shown.
        assertSendableHeader(h.key, bytes)
        texts.push(`{"key":${JSON.stringify(h.key)},"value":${bytesText(bytes)}}`)
      }
      return texts
    })
    const keyBytes = await waitingStage('key conversion', () => keyConverter.fromConnectData(out.topic, out.headers, out.keySchema, out.key))
    const valueBytes = await waitingStage('value conversion', () => valueConverter.fromConnectData(out.topic, out.headers, out.valueSchema, out.value))
    return `{"topic":${JSON.stringify(out.topic)},"partition":${out.kafkaPartition ?? 'null'},"timestamp":${out.timestamp ?? 'null'},` +
      `"key":${bytesText(keyBytes)},"value":${bytesText(valueBytes)},"headers":[${headerTexts.join(',')}]}`
  }

  const sinkLine = async (n: Node): Promise<string | null> => {
    const node = Object.fromEntries(n)
    const input = stage('input', () => {
      if (typeof node.topic !== 'string' || node.topic === '') throw new Error('"topic" must be a non-empty string')
      return {
        topic: node.topic,
        partition: numberOrNull(node.partition, '"partition"') ?? 0,
        offset: numberOrNull(node.offset, '"offset"') ?? lineNo - 1,
        timestamp: numberOrNull(node.timestamp, '"timestamp"'),
        key: bytesFrom(node.key, '"key"'),
        value: bytesFrom(node.value, '"value"'),
        headers: headerList(node.headers).map(h => ({ key: h.key, value: bytesFrom(h.value, `header ${h.key}`) }))
      }
    })
    // The sink task's order (Apache's): key, then value, then headers. The key and value converters get the headers,
    // so those are converted first all the same; a failure there is reported at its own stage, last.
    const convertHeaders = async (): Promise<Headers> => {
      let hs = Headers.EMPTY
      for (const h of input.headers) {
        const sv = await headerConverter.toConnectHeader(input.topic, h.key, h.value)
        hs = hs.with(h.key, sv.value, sv.schema)
      }
      return hs
    }
    let headers: Headers | null = null
    try { headers = await convertHeaders() } catch { /* reported at the header stage below */ }
    const k = await waitingStage('key conversion', () => keyConverter.toConnectData(input.topic, headers ?? Headers.EMPTY, input.key))
    const v = await waitingStage('value conversion', () => valueConverter.toConnectData(input.topic, headers ?? Headers.EMPTY, input.value))
    headers ??= await waitingStage('header conversion', convertHeaders)
    const record = sinkRecord({
      topic: input.topic, kafkaPartition: input.partition, kafkaOffset: input.offset, timestamp: input.timestamp,
      timestampType: input.timestamp === null ? 'NoTimestampType' : 'CreateTime', keySchema: k.schema, key: k.value, valueSchema: v.schema, value: v.value, headers
    })
    const out = stage('transformation', () => chain.apply(record)) as SinkRecord | null
    if (out === null) return null
    const headerTexts = [...out.headers].map(h => `{"key":${JSON.stringify(h.key)},"value":${toEnvelopeText(h.schema, h.value)}}`)
    return `{"topic":${JSON.stringify(out.topic)},"partition":${out.kafkaPartition},"offset":${out.kafkaOffset},"timestamp":${out.timestamp ?? 'null'},` +
      `"key":${toEnvelopeText(out.keySchema, out.key)},"value":${toEnvelopeText(out.valueSchema, out.value)},"headers":[${headerTexts.join(',')}]}`
  }

  const lines = createInterface({ input: o.input, crlfDelay: Infinity })
  try {
    for await (const text of lines) {
      lineNo++
      if (text.trim() === '') continue
      result.read++
      try {
        const node = stage('input', () => objectLine(text))
        const out = o.kind === 'source' ? await sourceLine(node) : await sinkLine(node)
        if (out === null) { result.dropped++; continue }
        if (!o.output.write(showByteOrderMarks(out) + '\n')) await new Promise(resolve => o.output.once('drain', resolve))
        result.written++
      } catch (err) {
        if (!tolerateAll || !(err instanceof DryRunError)) throw err
        result.skipped++
        o.report(`Skipping: ${err.message}`, err)
      }
    }
  } finally {
    chain.close()
  }
  return result
}
