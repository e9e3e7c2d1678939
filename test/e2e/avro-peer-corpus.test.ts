/**
 * The shared corpus, written by our AvroConverter, read by the differential peer (Apicurio's AvroConverter 2.6.13 in
 * Apache Connect 4.3.1): every record the corpus source writes (test/e2e/fixtures/corpus-connectors.ts, values a
 * FileStreamSink prints as one comparable line) is read by a FileStreamSink on each side, and the peer's Java prints
 * the same line as ours, map orders included, but where the peer itself departs from Confluent's converter (a
 * non-record root read schemaless; Avro 1.12.0's double arrays), each checked to be exactly that.
 */
import assert from 'node:assert/strict'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { startApacheConnect } from '../harness/apache-connect.mjs'
import { apicurioConverterProps, resolveApicurioConverterPluginPath } from '../harness/apicurio-converter.mjs'
import { createTopic, kafkaBootstrap, uniqueTopic } from '../harness/kafka.ts'
import { registryRequest, schemaRegistryCcompatUrl, schemaRegistryUrl } from '../harness/schema-registry.mjs'
import { spawnCli } from '../helpers/cli.ts'
import { removeDir } from '../helpers/remove-dir.ts'
import { waitFor } from '../helpers/wait-for.ts'
import { writeWorkerFile } from '../helpers/worker-file.ts'
import { DATE_LOGICAL_NAME, DECIMAL_LOGICAL_NAME, TIME_LOGICAL_NAME, TIMESTAMP_LOGICAL_NAME, type BigDecimal, type Schema } from '../../src/api/index.ts'
import type { CorpusEntry } from '../converters/schema-registry/corpus.ts'
import { writableEntries } from '../converters/schema-registry/registry-expectations.ts'
import { corpusRecords } from './fixtures/corpus-connectors.ts'

const PLUGIN = join(import.meta.dirname, 'fixtures', 'corpus-connectors.ts')

/**
 * Where the peer's line may differ from ours, each a deviation of the peer from Confluent's AvroConverter (see
 * /work/notes/readme-interop.md), checked to be exactly that deviation; null when it is not one of them.
 */
function peerDeviation (entry: CorpusEntry, value: unknown, ours: string, peer: string): string | null {
  const root = entry.schema
  // Apicurio's AvroConverter hands AvroData only records: any other root comes back schemaless, as the raw Avro
  // datum, where Confluent's converts every root (logical types and Confluent's union struct included).
  const union = root.name === 'io.confluent.connect.avro.Union'
  if ((root.type !== 'struct' || union) && value !== null) {
    if (root.name === DECIMAL_LOGICAL_NAME) {
      const n = twosComplementLength((value as BigDecimal).unscaled)
      return peer === `java.nio.HeapByteBuffer[pos=0 lim=${n} cap=${n}]` ? 'root-schemaless' : null
    }
    if (root.name === DATE_LOGICAL_NAME) return peer === String(Math.floor((value as Date).getTime() / 86400000)) ? 'root-schemaless' : null
    if (root.name === TIME_LOGICAL_NAME || root.name === TIMESTAMP_LOGICAL_NAME) return peer === String((value as Date).getTime()) ? 'root-schemaless' : null
    // Confluent's union struct is an Avro union at the root, not a record.
    if (union) return /^Struct\{\w+=(.*)\}$/.exec(ours)?.[1] === peer ? 'root-schemaless' : null
    // A container of records: the records stay Avro GenericRecords, printed as JSON.
    if (genericRecordsAsStructs(peer) === ours) return 'root-schemaless'
  }
  // Avro 1.12.0, which the peer bundles, reads double arrays at float precision (AVRO-4108, fixed in 1.12.1).
  if (hasDoubleArray(root)) {
    const numbers = /-?\d+(?:\.\d+)?(?:E-?\d+)?/g
    const a = ours.match(numbers) ?? []
    const b = peer.match(numbers) ?? []
    const sameShape = ours.replace(numbers, '#') === peer.replace(numbers, '#')
    if (sameShape && a.length === b.length && a.every((x, i) => Number(x) === Number(b[i]) || Math.fround(Number(x)) === Number(b[i]))) return 'avro-1.12.0-double-arrays'
  }
  return null
}

/** BigInteger.toByteArray().length. */
function twosComplementLength (v: bigint): number {
  const magnitude = v < 0n ? -v - 1n : v
  return Math.floor((magnitude === 0n ? 0 : magnitude.toString(2).length) / 8) + 1
}

/** A GenericRecord's toString ({"x": 1, "y": 2}, flat) as Connect's Struct{x=1,y=2}. */
function genericRecordsAsStructs (line: string): string {
  return line.replace(/\{("\w+": [^{}"]*(?:, "\w+": [^{}"]*)*)\}/g, (_, fields: string) =>
    `Struct{${fields.split(', ').map(f => f.replace(/^"(\w+)": /, '$1=')).join(',')}}`)
}

function hasDoubleArray (schema: Schema): boolean {
  if (schema.type === 'array' && schema.valueSchema!.type === 'float64') return true
  return [...(schema.fields ?? []).map(f => f.schema), schema.keySchema, schema.valueSchema].some(x => x !== undefined && hasDoubleArray(x))
}

async function linesOf (file: string): Promise<string[]> {
  try { return (await readFile(file, 'utf8')).split('\n').slice(0, -1) } catch { return [] }
}

test('the peer reads the corpus ours wrote as ours reads it', { timeout: 600000 }, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'avro-peer-corpus-'))
  t.after(async () => { await removeDir(dir) })
  const topic = uniqueTopic('peer-corpus')
  await createTopic(topic, 1)
  const subject = `${topic}-value`
  // The corpus's schemas are unrelated: the subject takes them under compatibility NONE (Apicurio's artifact rule).
  const reg = await registryRequest('POST', `${schemaRegistryCcompatUrl()}/subjects/${subject}/versions`, { schema: '"string"' })
  assert.equal(reg.status, 200, reg.text)
  const rule = await fetch(`${schemaRegistryUrl()}/apis/registry/v2/groups/default/artifacts/${subject}/rules`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'COMPATIBILITY', config: 'NONE' })
  })
  assert.equal(rule.status, 204, await rule.text())

  const expected = corpusRecords('avro', true)
  const oursOut = join(dir, 'ours.txt')
  const peerOut = join(dir, 'peer.txt')
  const worker = await writeWorkerFile(dir, kafkaBootstrap(), [
    `plugin.path=${PLUGIN}`, 'value.converter=io.confluent.connect.avro.AvroConverter', `value.converter.schema.registry.url=${schemaRegistryCcompatUrl()}`
  ])
  const source = join(dir, 'source.properties')
  await writeFile(source, `name=peer-corpus-src-${topic}\nconnector.class=test.CorpusSource\nformat=avro\none.line=true\ntopic=${topic}\n`)
  const sink = join(dir, 'sink.properties')
  await writeFile(sink, `name=peer-corpus-sink-${topic}\nconnector.class=FileStreamSink\nfile=${oursOut}\ntopics=${topic}\n`)
  const cli = spawnCli([worker, source, sink])
  t.after(() => { cli.kill('SIGKILL') })
  await waitFor(async () => (await linesOf(oursOut)).length >= expected.length, { timeoutMs: 120000, what: 'our sink file' })

  const peer = await startApacheConnect({
    dir,
    workerProps: {
      'plugin.path': resolveApicurioConverterPluginPath(),
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      ...apicurioConverterProps(schemaRegistryUrl())
    },
    connectorProps: [{ name: `peer-corpus-peer-sink-${topic}`, 'connector.class': 'FileStreamSink', file: peerOut, topics: topic }]
  })
  t.after(async () => { await peer.stop() })
  await waitFor(async () => (await linesOf(peerOut)).length >= expected.length || (await peer.failure()) !== null, { timeoutMs: 120000, what: 'the peer\'s sink file' })
  assert.equal(await peer.failure(), null)

  const ours = await linesOf(oursOut)
  const theirs = await linesOf(peerOut)
  const entries = writableEntries('avro')
  const unexplained = []
  const deviations = new Map<string, number>()
  let same = 0
  for (const [n, r] of expected.entries()) {
    const entry = entries[r.entryIndex]!
    if (ours[n] === theirs[n]) { same++; continue }
    const why = peerDeviation(entry, entry.values[r.valueIndex], ours[n]!, theirs[n]!)
    if (why === null) unexplained.push(`${entry.name} [${r.valueIndex}]\n  ours ${ours[n]}\n  peer ${theirs[n]}`)
    else deviations.set(why, (deviations.get(why) ?? 0) + 1)
  }
  assert.deepEqual(unexplained, [], 'every line the same, or one of the peer\'s known deviations')
  t.diagnostic(`${same} of ${expected.length} lines the same; the peer's deviations: ${[...deviations].map(([k, v]) => `${k} ${v}`).join(', ')}`)
  assert.ok(same >= 200, `${same} lines the same`)
})
