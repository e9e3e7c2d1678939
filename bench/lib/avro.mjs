// Scenarios f and g: Confluent's AvroConverter, ours, against the peer converter, Apicurio's
// io.apicurio.registry.utils.converter.AvroConverter in Apache Kafka Connect (test/harness/apicurio-converter.mjs,
// set for Confluent's wire format), both against one real registry: Apicurio Registry's Confluent API
// (test/harness/schema-registry.mjs), started for the benchmark unless BENCH_SCHEMA_REGISTRY_URL names one.
//
// f. FileStreamSource → HoistField$Value(line) → AvroConverter → topic: every line becomes Struct{line}, a record
//    schema; the file source itself emits strings, and a bare string schema would leave most of AvroData's work
//    (records, fields) out of the measurement.
// g. topic → AvroConverter → FileStreamSink: the input topic holds Struct{id int64, line, origin, shard int32}
//    (d's four fields, schema name bench.Line), written once before the runs by our AvroConverter (dist/), in
//    Confluent's framing under <topic>-value. The sink writes each Struct's toString(), so the files of both
//    runners must be byte-identical.
import { createHash } from 'node:crypto'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { APICURIO_AVRO_CONVERTER, APICURIO_CONVERTER_VERSION, apicurioConverterProps, resolveApicurioConverterPluginPath } from '../../test/harness/apicurio-converter.mjs'
import { APICURIO_VERSION, startSchemaRegistry } from '../../test/harness/schema-registry.mjs'
import { line, writeLinesFile } from './data.mjs'
import { fillTopic, readTopic } from './kafka.mjs'
import { ROOT } from './runners.mjs'

export const AVRO_SCENARIOS = ['f', 'g']
export const isAvroScenario = scenario => AVRO_SCENARIOS.includes(scenario)
export const OUR_AVRO_CONVERTER = 'io.confluent.connect.avro.AvroConverter'
export { APICURIO_AVRO_CONVERTER, APICURIO_CONVERTER_VERSION, APICURIO_VERSION }

export const AVRO_TITLES = {
  f: 'f. file → topic (HoistField + AvroConverter)',
  g: 'g. topic → file (AvroConverter, 4-field struct)'
}

/** Scenario f's only transformation: the line becomes the one field of a struct, as a JSON-less pipeline would. */
export const HOIST_LINE = {
  transforms: 'hoist',
  'transforms.hoist.type': 'org.apache.kafka.connect.transforms.HoistField$Value',
  'transforms.hoist.field': 'line'
}

const seconds = since => (performance.now() - since) / 1000

/**
 * What f and g need besides the broker: the registry (started here, or BENCH_SCHEMA_REGISTRY_URL's) and the peer's
 * plugin directory (resolved with Maven the first time). Resolves { url, ccompatUrl, pluginPath, registryS,
 * registryExternal, pluginS, stop }.
 */
export async function startAvroSetup () {
  const pluginStarted = performance.now()
  const pluginPath = resolveApicurioConverterPluginPath()
  const pluginS = seconds(pluginStarted)
  const registryStarted = performance.now()
  const external = process.env.BENCH_SCHEMA_REGISTRY_URL
  const registry = external
    ? { url: external.replace(/\/+$/, '').replace(/\/apis\/ccompat\/v\d+$/, ''), stop: async () => {} }
    : await startSchemaRegistry()
  return {
    url: registry.url,
    ccompatUrl: `${registry.url}/apis/ccompat/v7`,
    pluginPath,
    pluginS,
    registryS: seconds(registryStarted),
    registryExternal: !!external,
    stop: () => registry.stop()
  }
}

/** The value converter settings of `runner` for f and g (the key stays StringConverter; keys are null). */
export function avroWorkerProps (runner, avro) {
  if (runner === 'apache') return { 'plugin.path': avro.pluginPath, ...apicurioConverterProps(avro.url) }
  return { 'value.converter': OUR_AVRO_CONVERTER, 'value.converter.schema.registry.url': avro.ccompatUrl }
}

async function importDist (rel) {
  return await import(pathToFileURL(join(ROOT, 'dist', rel)).href)
}

/**
 * Writes f's input file (`records` lines) and fills g's input topic with `records` Avro records of bench.Line made
 * by our AvroConverter. Returns { avroLinesFile?, avroTopic?: { topic, bytes, schemaId } }.
 */
export async function prepareAvroInputs ({ kafka, bootstrap, work, records, scenarios, stamp, avro }) {
  const inputs = {}
  if (scenarios.includes('f')) {
    inputs.avroLinesFile = join(work, 'avro-lines.txt')
    writeLinesFile(inputs.avroLinesFile, records)
  }
  if (scenarios.includes('g')) {
    const { SchemaBuilder, Struct } = await importDist('src/api/index.js')
    const { AvroConverter } = await importDist('src/converters/schema-registry/registry-converters.js')
    const schema = SchemaBuilder.struct().name('bench.Line')
      .field('id', SchemaBuilder.int64().build())
      .field('line', SchemaBuilder.string().build())
      .field('origin', SchemaBuilder.string().build())
      .field('shard', SchemaBuilder.int32().build())
      .build()
    const converter = new AvroConverter()
    converter.configure({ 'schema.registry.url': avro.ccompatUrl }, false)
    const topic = `bench-${stamp}-g-input`
    await kafka.createTopic(topic)
    const struct = i => new Struct(schema).put('id', i).put('line', line(i)).put('origin', `bench-node-${i % 4}`).put('shard', i % 16)
    // The first record registers the schema (a promise); from then on the converter answers synchronously.
    const first = await converter.fromConnectData(topic, null, schema, struct(0))
    let bytes = 0
    await fillTopic(bootstrap, topic, records, i => {
      const value = i === 0 ? first : converter.fromConnectData(topic, null, schema, struct(i))
      if (!Buffer.isBuffer(value)) throw new Error(`AvroConverter answered record ${i} asynchronously: the schema should be known by then`)
      bytes += value.length
      return { value }
    })
    converter.close()
    inputs.avroTopic = { topic, bytes, schemaId: first.readInt32BE(1) }
  }
  return inputs
}

/**
 * Reads back what a run of f wrote: the SHA-256 of the Avro payloads (each value after its 5-byte header, with
 * its length), the schema ids in the headers, and values not in Confluent's framing. Both converters write the same
 * schema, so the payloads must be equal whoever wrote them.
 */
export async function digestAvroTopic (bootstrap, topic, count) {
  const hash = createHash('sha256')
  const ids = new Set()
  let unframed = 0
  const length = Buffer.alloc(4)
  await readTopic(bootstrap, topic, count, message => {
    const value = message.value
    if (!value || value.length < 5 || value[0] !== 0) { unframed++; return }
    ids.add(value.readInt32BE(1))
    length.writeInt32BE(value.length - 5)
    hash.update(length)
    hash.update(value.subarray(5))
  })
  return { payloadSha256: hash.digest('hex'), schemaIds: [...ids].sort((a, b) => a - b), unframed }
}
