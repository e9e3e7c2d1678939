import assert from 'node:assert/strict'
import { test } from 'node:test'
import { DataError, Headers, Schemas, sinkRecord, sourceRecord } from '../../../src/api/index.ts'
import type { DeadLetterRecord } from '../../../src/kafka/dead-letter-queue.ts'
import { DeadLetterQueueReporter, LogReporter, type ConsumedRecord } from '../../../src/runtime/errors/error-reporters.ts'
import type { ProcessingFailure } from '../../../src/runtime/errors/retry-with-tolerance-operator.ts'
import { createLogger, type Logger } from '../../../src/util/logger.ts'

const consumed: ConsumedRecord = {
  kind: 'consumed',
  topic: 'orders',
  partition: 2,
  offset: 42,
  timestamp: 1712345678901,
  timestampType: 'CreateTime',
  key: Buffer.from('k'),
  value: Buffer.from('{not json'),
  headers: [{ key: 'h', value: Buffer.from('hv') }]
}

const failure: ProcessingFailure = {
  stage: 'VALUE_CONVERTER',
  executingClass: 'org.apache.kafka.connect.json.JsonConverter',
  error: new DataError('Converting byte[] to Kafka Connect data failed due to serialization error'),
  coordinates: 'topic=orders partition=2 offset=42',
  attempts: 1
}

function capturingLogger (): Logger & { lines: string[] } {
  const lines: string[] = []
  const base = createLogger('test')
  return { ...base, lines, error: (m: string) => { lines.push(m) } }
}

test('log reporter: Apache\'s line, with the consumed record\'s coordinates only when include.messages', () => {
  const quiet = capturingLogger()
  new LogReporter('sink-0', false, quiet).report(failure, consumed)
  assert.deepEqual(quiet.lines, ["Error encountered in task sink-0. Executing stage 'VALUE_CONVERTER' with class 'org.apache.kafka.connect.json.JsonConverter'."])
  const loud = capturingLogger()
  new LogReporter('sink-0', true, loud).report(failure, consumed)
  assert.deepEqual(loud.lines, ["Error encountered in task sink-0. Executing stage 'VALUE_CONVERTER' with class 'org.apache.kafka.connect.json.JsonConverter', " +
    "where consumed record is {topic='orders', partition=2, offset=42, timestamp=1712345678901, timestampType=CreateTime}."])
  const source = capturingLogger()
  new LogReporter('src-0', true, source).report(failure, sourceRecord({ topic: 't', sourcePartition: { f: 'a' }, sourceOffset: { p: 1 }, value: 'v', valueSchema: Schemas.STRING }))
  assert.match(source.lines[0]!, /where source record is = SourceRecord\{sourcePartition=\{f=a\}, sourceOffset=\{p=1\}\} ConnectRecord\{topic='t', kafkaPartition=null, key=null, keySchema=null, value=v, valueSchema=Schema\{STRING\}/)
})

function sender () {
  const sent: Array<{ topic: string, record: DeadLetterRecord }> = []
  return { sent, send: async (topic: string, record: DeadLetterRecord) => { sent.push({ topic, record }) } }
}

const text = (b: Buffer | null): string | null => b === null ? null : b.toString('utf8')

test('DLQ reporter: the original bytes and headers, then the __connect.errors.* context headers', async () => {
  const s = sender()
  const dlq = new DeadLetterQueueReporter({ topic: 'dlq', contextHeaders: true, connector: 'sink', task: 3 }, s, createLogger('test'))
  await dlq.report(failure, consumed)
  assert.equal(s.sent.length, 1)
  const { topic, record } = s.sent[0]!
  assert.equal(topic, 'dlq')
  assert.equal(text(record.key), 'k')
  assert.equal(text(record.value), '{not json')
  assert.equal(record.timestamp, 1712345678901)
  const headers = record.headers.map(h => [h.key, text(h.value)])
  assert.deepEqual(headers.slice(0, 10), [
    ['h', 'hv'],
    ['__connect.errors.topic', 'orders'],
    ['__connect.errors.partition', '2'],
    ['__connect.errors.offset', '42'],
    ['__connect.errors.connector.name', 'sink'],
    ['__connect.errors.task.id', '3'],
    ['__connect.errors.stage', 'VALUE_CONVERTER'],
    ['__connect.errors.class.name', 'org.apache.kafka.connect.json.JsonConverter'],
    ['__connect.errors.exception.class.name', 'org.apache.kafka.connect.errors.DataException'],
    ['__connect.errors.exception.message', 'Converting byte[] to Kafka Connect data failed due to serialization error']
  ])
  assert.equal(headers[10]![0], '__connect.errors.exception.stacktrace')
  assert.match(headers[10]![1]!, /DataError: Converting byte\[\] to Kafka Connect data failed/)
  assert.equal(dlq.produced, 1)
})

test('DLQ reporter: without context headers only the original headers go along; a failed send is counted, not thrown', async () => {
  const s = sender()
  const dlq = new DeadLetterQueueReporter({ topic: 'dlq', contextHeaders: false, connector: 'sink', task: 0 }, s, createLogger('test'))
  await dlq.report(failure, consumed)
  assert.deepEqual(s.sent[0]!.record.headers.map(h => h.key), ['h'])
  const broken = new DeadLetterQueueReporter({ topic: 'dlq', contextHeaders: false, connector: 'sink', task: 0 },
    { send: async () => { throw new Error('broker down') } }, capturingLogger())
  await broken.report(failure, consumed)
  assert.equal(broken.failed, 1)
  assert.equal(broken.hasPending, false)
})

test('DLQ reporter: a record with no original bytes is serialised, and its coordinates still go in the headers', async () => {
  const s = sender()
  const dlq = new DeadLetterQueueReporter({
    topic: 'dlq', contextHeaders: true, connector: 'c', task: 0,
    serialize: r => ({ key: null, value: Buffer.from(String(r.value)) })
  }, s, createLogger('test'))
  const made = sinkRecord({ topic: 'orders', kafkaPartition: 1, kafkaOffset: 9, value: 'made by task', headers: Headers.EMPTY })
  await dlq.report({ ...failure, stage: 'TASK_PUT', executingClass: 'org.apache.kafka.connect.sink.SinkTask' }, made)
  const r = s.sent[0]!.record
  assert.equal(text(r.value), 'made by task')
  const h = Object.fromEntries(r.headers.map(x => [x.key, text(x.value)]))
  assert.equal(h['__connect.errors.topic'], 'orders')
  assert.equal(h['__connect.errors.partition'], '1')
  assert.equal(h['__connect.errors.offset'], '9')
  assert.equal(h['__connect.errors.stage'], 'TASK_PUT')
  const source = sourceRecord({ topic: 'out', sourcePartition: { file: 'x' }, sourceOffset: { position: 5 }, value: 'v' })
  await dlq.report(failure, source)
  const sh = Object.fromEntries(s.sent[1]!.record.headers.map(x => [x.key, text(x.value)]))
  assert.equal(sh['__connect.errors.source.partition'], '{"file":"x"}')
  assert.equal(sh['__connect.errors.source.offset'], '{"position":5}')
  assert.equal(sh['__connect.errors.offset'], undefined)
})
