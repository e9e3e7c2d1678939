/**
 * Interop with the differential peer on the same broker and registry: Apache Kafka Connect 4.3.1 running Apicurio's
 * AvroConverter 2.6.13 (test/harness/apicurio-converter.mjs, Confluent's wire format) and our worker running
 * io.confluent.connect.avro.AvroConverter. Each side's FileStreamSource turns the same input file into the same
 * Connect data through the same SMT chain (structs with optional and logical-type fields, int8, int64, float64,
 * boolean, string roots) and writes its own topic; then
 *  - the Avro payloads after the 5-byte header compare byte for byte, and the schemas registered for them;
 *  - ours reads the peer's topics and the peer reads ours, each giving the same values as from its own topic
 *    (FileStreamSink lines), and ours the same lines as the peer's Java.
 */
import assert from 'node:assert/strict'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { startApacheConnect, type ApacheConnect } from '../harness/apache-connect.mjs'
import { apicurioConverterProps, resolveApicurioConverterPluginPath } from '../harness/apicurio-converter.mjs'
import { consumeAll, createTopic, kafkaBootstrap, uniqueTopic, type ConsumedMessage } from '../harness/kafka.ts'
import { registryRequest, schemaRegistryCcompatUrl, schemaRegistryUrl } from '../harness/schema-registry.mjs'
import { spawnCli, type CliProcess } from '../helpers/cli.ts'
import { http } from '../helpers/rest.ts'
import { removeDir } from '../helpers/remove-dir.ts'
import { waitFor } from '../helpers/wait-for.ts'
import { writeWorkerFile } from '../helpers/worker-file.ts'

const hoist = (field: string): Record<string, string> => ({ 'transforms.hoist.type': 'org.apache.kafka.connect.transforms.HoistField$Value', 'transforms.hoist.field': field })
const cast = (spec: string): Record<string, string> => ({ transforms: 'cast', 'transforms.cast.type': 'org.apache.kafka.connect.transforms.Cast$Value', 'transforms.cast.spec': spec })

interface Scenario { name: string, lines: string[], transforms: Record<string, string> }
/** The same Connect data on both sides, from Apache's own SMTs: each scenario a schema shape. */
const SCENARIOS: Scenario[] = [
  {
    // struct{line string, part optional int32, origin optional string}: part is null (a FileStreamSource record names
    // no partition). Not timestamp.field: a source record's timestamp is the time it was read, which differs by side.
    name: 'struct',
    lines: ['alpha', 'beta gamma', 'héllo wörld 🚀', 'x'.repeat(300)],
    transforms: {
      transforms: 'hoist,insert', ...hoist('line'),
      'transforms.insert.type': 'org.apache.kafka.connect.transforms.InsertField$Value',
      'transforms.insert.static.field': 'origin', 'transforms.insert.static.value': 'interop',
      'transforms.insert.partition.field': 'part'
    }
  },
  { name: 'int64', lines: ['0', '1', '-1', '2147483648', '-9007199254740993', '9223372036854775807'], transforms: cast('int64') },
  { name: 'int8', lines: ['-128', '0', '127'], transforms: cast('int8') },
  { name: 'float64', lines: ['0.5', '-1.25', '1e300', '3.141592653589793'], transforms: cast('float64') },
  { name: 'boolean', lines: ['true', 'false'], transforms: cast('boolean') },
  { name: 'string', lines: ['plain', 'ünïcödé', '{"json":"as text"}'], transforms: {} },
  {
    name: 'date',
    lines: ['2024-01-15', '1970-01-01', '1969-12-31', '2999-12-31'],
    transforms: {
      transforms: 'hoist,day', ...hoist('day'),
      'transforms.day.type': 'org.apache.kafka.connect.transforms.TimestampConverter$Value',
      'transforms.day.field': 'day', 'transforms.day.format': 'yyyy-MM-dd', 'transforms.day.target.type': 'Date'
    }
  },
  {
    name: 'timestamp',
    lines: ['2024-01-15 10:20:30.456', '1970-01-01 00:00:00.000', '1969-12-31 23:59:59.999'],
    transforms: {
      transforms: 'hoist,at', ...hoist('at'),
      'transforms.at.type': 'org.apache.kafka.connect.transforms.TimestampConverter$Value',
      'transforms.at.field': 'at', 'transforms.at.format': 'yyyy-MM-dd HH:mm:ss.SSS', 'transforms.at.target.type': 'Timestamp'
    }
  }
]

type Side = 'ours' | 'peer'
const SIDES: Side[] = ['ours', 'peer']
const RUN = `${process.pid}-${Date.now().toString(36)}`
let dir: string
let peer: ApacheConnect | undefined
let ours: CliProcess | undefined
let oursRest: string
/** topics[scenario][side]: the topic that side's source writes. */
const topics: Record<string, Record<Side, string>> = {}
/** What each side's sink wrote for each topic: sinkFile(reader, scenario, writer). */
const sinkFile = (reader: Side, scenario: string, writer: Side): string => join(dir, `${reader}-reads-${writer}-${scenario}.txt`)

async function readLinesOf (file: string): Promise<string[]> {
  try { return (await readFile(file, 'utf8')).split('\n').slice(0, -1) } catch { return [] }
}

/**
 * Creates a source and waits for all its records: one source at a time, since Apicurio 2.4.2 on H2 can refuse one of
 * two registrations made at the same moment (409 "An artifact version 'null' ... already exists").
 */
async function runSource (rest: string, side: Side, s: Scenario): Promise<void> {
  const name = `interop-${side}-src-${s.name}-${RUN}`
  const res = await http(rest, 'PUT', `/connectors/${name}/config`, {
    'connector.class': 'FileStreamSource', file: join(dir, `${s.name}.txt`), topic: topics[s.name]![side], ...s.transforms
  })
  assert.equal(res.status, 201, res.text)
  await consumeAll(topics[s.name]![side], s.lines.length, 120000)
}

/** A sink per (scenario, writer) on the reader's side, all at once: reading registers nothing. */
async function startSinks (rest: string, reader: Side): Promise<void> {
  for (const s of SCENARIOS) {
    for (const writer of SIDES) {
      const name = `interop-${reader}-reads-${writer}-${s.name}-${RUN}`
      const res = await http(rest, 'PUT', `/connectors/${name}/config`, {
        'connector.class': 'FileStreamSink', file: sinkFile(reader, s.name, writer), topics: topics[s.name]![writer]
      })
      assert.equal(res.status, 201, res.text)
    }
  }
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'avro-interop-'))
  for (const s of SCENARIOS) {
    await writeFile(join(dir, `${s.name}.txt`), s.lines.join('\n') + '\n')
    topics[s.name] = { ours: uniqueTopic(`interop-ours-${s.name}`), peer: uniqueTopic(`interop-peer-${s.name}`) }
    for (const side of SIDES) await createTopic(topics[s.name]![side], 1)
  }

  const worker = await writeWorkerFile(dir, kafkaBootstrap(), [
    'value.converter=io.confluent.connect.avro.AvroConverter', `value.converter.schema.registry.url=${schemaRegistryCcompatUrl()}`
  ])
  ours = spawnCli([worker])
  await ours.waitForOutput(/Kafka Connect started/)
  oursRest = /REST server listening at (http:\/\/[^/\s]+)\//.exec(ours.stdout + ours.stderr)![1]!
  for (const s of SCENARIOS) await runSource(oursRest, 'ours', s)

  peer = await startApacheConnect({
    dir,
    workerProps: {
      'plugin.path': resolveApicurioConverterPluginPath(),
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      ...apicurioConverterProps(schemaRegistryUrl()),
      'offset.flush.interval.ms': '500'
    }
  })
  for (const s of SCENARIOS) await runSource(peer.restUrl, 'peer', s)
  await startSinks(oursRest, 'ours')
  await startSinks(peer.restUrl, 'peer')
  for (const s of SCENARIOS) {
    for (const reader of SIDES) {
      for (const writer of SIDES) {
        await waitFor(async () => (await readLinesOf(sinkFile(reader, s.name, writer))).length >= s.lines.length, {
          timeoutMs: 120000, what: `${reader} reading ${writer}'s ${s.name} records`
        }).catch(async (err: Error) => {
          throw new Error(`${err.message}\n${peer?.describe() ?? ''}\n${(ours?.stdout ?? '') + (ours?.stderr ?? '')}`.slice(-6000))
        })
      }
    }
  }
}, { timeout: 600000 })

after(async () => {
  await peer?.stop()
  ours?.kill('SIGTERM')
  await ours?.exited
  if (dir) await removeDir(dir)
})

const records: Record<string, Record<Side, ConsumedMessage[]>> = {}
async function recordsOf (s: Scenario, side: Side): Promise<ConsumedMessage[]> {
  records[s.name] ??= {} as Record<Side, ConsumedMessage[]>
  return (records[s.name]![side] ??= await consumeAll(topics[s.name]![side], s.lines.length, 60000))
}

async function schemaText (id: number): Promise<string> {
  const res = await registryRequest('GET', `${schemaRegistryCcompatUrl()}/schemas/ids/${id}`)
  assert.equal(res.status, 200, res.text)
  return res.body.schema
}

test('the same Connect data gives the same Avro payload after the 5-byte header, and the same registered schema', async () => {
  const report: string[] = []
  for (const s of SCENARIOS) {
    const o = await recordsOf(s, 'ours')
    const p = await recordsOf(s, 'peer')
    for (const [i, line] of s.lines.entries()) {
      const a = o[i]!.value!
      const b = p[i]!.value!
      assert.equal(a[0], 0)
      assert.equal(b[0], 0)
      if (!a.subarray(5).equals(b.subarray(5))) report.push(`${s.name} "${line}": ours ${a.subarray(5).toString('hex')} peer ${b.subarray(5).toString('hex')}`)
    }
    const textOurs = await schemaText(o[0]!.value!.readInt32BE(1))
    const textPeer = await schemaText(p[0]!.value!.readInt32BE(1))
    if (textOurs !== textPeer) report.push(`${s.name} schema:\n  ours ${textOurs}\n  peer ${textPeer}`)
  }
  assert.deepEqual(report, [])
})

test('ours reads the peer\'s topics as its own, and the peer reads ours as its own', async () => {
  for (const s of SCENARIOS) {
    for (const reader of SIDES) {
      const own = await readLinesOf(sinkFile(reader, s.name, reader))
      const other = await readLinesOf(sinkFile(reader, s.name, reader === 'ours' ? 'peer' : 'ours'))
      assert.deepEqual(other, own, `${reader} reading ${s.name}`)
    }
  }
})

test('ours gives the same values as the peer\'s Java (FileStreamSink lines)', async () => {
  for (const s of SCENARIOS) {
    assert.deepEqual(await readLinesOf(sinkFile('ours', s.name, 'peer')), await readLinesOf(sinkFile('peer', s.name, 'peer')), s.name)
  }
  assert.equal(await peer!.failure(), null)
})
