/**
 * The shared corpus through a real topic, per format: the CLI's source side writes every entry a format carries with
 * the connector's value converter (AvroConverter, ProtobufConverter, JsonSchemaConverter) against the real registry, and its sink side
 * reads them back with the same converter class and checks each against the entry it came from
 * (test/e2e/fixtures/corpus-connectors.ts, with registry-expectations.ts's rules).
 */
import assert from 'node:assert/strict'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { consumeAll, createTopic, kafkaBootstrap, uniqueTopic } from '../harness/kafka.ts'
import { registryRequest, schemaRegistryCcompatUrl, schemaRegistryUrl } from '../harness/schema-registry.mjs'
import { spawnCli } from '../helpers/cli.ts'
import { readLines } from '../helpers/pipeline.ts'
import { removeDir } from '../helpers/remove-dir.ts'
import { waitFor } from '../helpers/wait-for.ts'
import { writeWorkerFile } from '../helpers/worker-file.ts'
import { CONVERTER_CLASSES, type FormatName } from '../converters/schema-registry/registry-expectations.ts'
import { corpusRecords } from './fixtures/corpus-connectors.ts'

const PLUGIN = join(import.meta.dirname, 'fixtures', 'corpus-connectors.ts')

/** A placeholder first version, so the subject exists and can take its own compatibility level. */
const PLACEHOLDER: Record<FormatName, { schema: string, schemaType?: string }> = {
  avro: { schema: '"string"' },
  protobuf: { schema: 'syntax = "proto3";\nmessage Placeholder {\n  string a = 1;\n}\n', schemaType: 'PROTOBUF' },
  json: { schema: '{"$schema":"http://json-schema.org/draft-07/schema#","type":"string"}', schemaType: 'JSON' }
}

/**
 * The corpus's schemas are unrelated to one another, so the topic's subject takes them all only under compatibility
 * NONE; the registry's global level (BACKWARD) stays as it is for everyone else. Apicurio 2.4.2 answers Confluent's
 * PUT /config/{subject} {"compatibility":"NONE"} with 200 but then applies the global rule (NONE removes the
 * subject's rule), so the subject's rule is set through Apicurio's own API.
 */
async function subjectWithoutCompatibility (subject: string, format: FormatName): Promise<void> {
  const reg = await registryRequest('POST', `${schemaRegistryCcompatUrl()}/subjects/${subject}/versions`, PLACEHOLDER[format])
  assert.equal(reg.status, 200, reg.text)
  const rule = await fetch(`${schemaRegistryUrl()}/apis/registry/v2/groups/default/artifacts/${subject}/rules`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'COMPATIBILITY', config: 'NONE' })
  })
  assert.equal(rule.status, 204, await rule.text())
}

/**
 * One format at a time, each in its own worker: Apicurio 2.4.2 on H2 sometimes refuses one of two registrations made
 * at the same moment in different subjects with 409 "An artifact version 'null' ... already exists" (its id sequence
 * is not safe under concurrent writes), which the converter can only report as a refusal.
 */
for (const f of ['avro', 'protobuf', 'json'] as const) {
  test(`the corpus goes through a topic with ${CONVERTER_CLASSES[f]}: the sink reads what the source wrote`, { timeout: 300000 }, async (t) => {
    const url = schemaRegistryCcompatUrl()
    const dir = await mkdtemp(join(tmpdir(), 'sr-topic-'))
    t.after(async () => { await removeDir(dir) })
    const topic = uniqueTopic(`corpus-${f}`)
    await createTopic(topic, 1)
    await subjectWithoutCompatibility(`${topic}-value`, f)
    const converter = [`value.converter=${CONVERTER_CLASSES[f]}`, `value.converter.schema.registry.url=${url}`]
    const out = join(dir, `${f}.out`)
    const source = join(dir, 'source.properties')
    await writeFile(source, [`name=corpus-${f}-source-${topic}`, 'connector.class=test.CorpusSource', `format=${f}`, `topic=${topic}`, ...converter].join('\n') + '\n')
    const sink = join(dir, 'sink.properties')
    await writeFile(sink, [`name=corpus-${f}-sink-${topic}`, 'connector.class=test.CorpusCheckSink', `format=${f}`, `output=${out}`,
      `topics=${topic}`, 'consumer.override.auto.offset.reset=earliest', ...converter].join('\n') + '\n')
    const worker = await writeWorkerFile(dir, kafkaBootstrap(), [`plugin.path=${PLUGIN}`])
    const cli = spawnCli([worker, source, sink])
    t.after(() => { cli.kill('SIGKILL') })

    const expected = corpusRecords(f).map(r => r.key)
    await waitFor(async () => (await readLines(out)).length >= expected.length, { timeoutMs: 180000, what: `${expected.length} verdicts in ${f}.out` })
      .catch((err: Error) => { throw new Error(`${err.message}; the worker's output:\n${(cli.stdout + cli.stderr).slice(-4000)}`) })
    const lines = await readLines(out)
    const failed = lines.filter(l => !l.endsWith(' ok'))
    assert.deepEqual(failed, [], `${failed.length} of ${lines.length} records read back differently`)
    assert.deepEqual(lines.map(l => l.split(' ')[0]), expected, 'every record once, in order')

    // On the topic: Confluent's framing, ids the registry knows under the topic's subject.
    const raw = await consumeAll(topic, expected.length, 60000)
    const ids = new Set<number>()
    for (const r of raw) {
      if (r.value === null) continue
      assert.equal(r.value[0], 0, 'magic byte')
      ids.add(r.value.readInt32BE(1))
    }
    assert.ok(ids.size >= 50, `${ids.size} distinct schemas on the topic`)
    for (const id of ids) {
      const byId = await registryRequest('GET', `${url}/schemas/ids/${id}/versions`)
      assert.ok((byId.body as Array<{ subject: string }>).some(v => v.subject === `${topic}-value`), `id ${id} under ${topic}-value: ${byId.text}`)
    }
    cli.kill('SIGTERM')
    assert.equal((await cli.exited).code, 143)
    assert.doesNotMatch(cli.stdout + cli.stderr, /ERROR/, 'no errors logged')
  })
}
