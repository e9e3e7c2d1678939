/**
 * Java client settings → librdkafka properties: renames, dropped Java-only settings, topic-level keys, origins, and
 * librdkafka's own rejection of unknown properties turned into a ConfigError naming the worker key.
 */
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { test } from 'node:test'
import { ConfigError } from '../../src/api/index.ts'
import { explainClientConfigError, takeMaxPollRecords, translateClientConfig, translateWorkerClientConfig } from '../../src/kafka/client-config.ts'

type ProducerCtor = new (config: Record<string, unknown>) => unknown
type ConsumerCtor = new (config: Record<string, unknown>, topicConfig: Record<string, unknown>) => unknown
const rdkafka = createRequire(import.meta.url)('node-rdkafka') as { Producer: ProducerCtor, KafkaConsumer: ConsumerCtor }

/** What node-rdkafka really throws for an unknown property. */
function realUnknownPropertyError (prop: string): unknown {
  try {
    new rdkafka.Producer({ [prop]: 1 })
  } catch (err) {
    return err
  }
  assert.fail(`node-rdkafka accepted ${prop}`)
}

test('renamed settings are translated to librdkafka names', () => {
  const out = translateClientConfig('producer', {
    'sasl.mechanism': 'PLAIN',
    'delivery.timeout.ms': '120000',
    'max.request.size': '2097152',
    'security.protocol': 'SASL_SSL'
  }, 'producer.')
  assert.deepEqual(out.global, {
    'sasl.mechanisms': 'PLAIN',
    'message.timeout.ms': '120000',
    'message.max.bytes': '2097152',
    'security.protocol': 'sasl_ssl'
  })
  assert.deepEqual(out.topic, {})
  assert.deepEqual(out.warnings, [])

  const consumer = translateClientConfig('consumer', { 'fetch.max.wait.ms': '250' }, 'consumer.')
  assert.deepEqual(consumer.global, { 'fetch.wait.max.ms': '250' })
})

test('buffer.memory becomes queue.buffering.max.kbytes in KiB', () => {
  assert.deepEqual(translateClientConfig('producer', { 'buffer.memory': '33554432' }, 'producer.').global, { 'queue.buffering.max.kbytes': 32768 })
  assert.deepEqual(translateClientConfig('producer', { 'buffer.memory': '100' }, 'producer.').global, { 'queue.buffering.max.kbytes': 1 })
})

test('socket buffer sizes of -1 (OS default) are dropped', () => {
  assert.deepEqual(translateClientConfig('consumer', { 'receive.buffer.bytes': '-1', 'send.buffer.bytes': '131072' }, 'consumer.').global,
    { 'socket.send.buffer.bytes': 131072 })
})

test('partition.assignment.strategy class names become librdkafka assignor names', () => {
  const out = translateClientConfig('consumer', {
    'partition.assignment.strategy': 'org.apache.kafka.clients.consumer.RangeAssignor, org.apache.kafka.clients.consumer.RoundRobinAssignor'
  }, 'consumer.')
  assert.deepEqual(out.global, { 'partition.assignment.strategy': 'range,roundrobin' })
  assert.deepEqual(translateClientConfig('consumer', { 'partition.assignment.strategy': 'org.apache.kafka.clients.consumer.CooperativeStickyAssignor' }, 'consumer.').global,
    { 'partition.assignment.strategy': 'cooperative-sticky' })
})

test('an unknown assignor is a ConfigError naming the worker key', () => {
  assert.throws(() => translateClientConfig('consumer', { 'partition.assignment.strategy': 'org.apache.kafka.clients.consumer.StickyAssignor' }, 'consumer.'),
    (err: unknown) => err instanceof ConfigError &&
      err.message.startsWith('Invalid value org.apache.kafka.clients.consumer.StickyAssignor for configuration consumer.partition.assignment.strategy:'))
})

test('Java-only settings are dropped with a warning naming the worker key', () => {
  const out = translateClientConfig('producer', {
    'key.serializer': 'org.apache.kafka.common.serialization.ByteArraySerializer',
    'max.block.ms': '60000',
    acks: 'all'
  }, 'producer.')
  assert.deepEqual(out.global, { acks: 'all' })
  assert.equal(out.warnings.length, 2)
  assert.ok(out.warnings.some(w => w.includes('producer.key.serializer')), out.warnings.join('\n'))
  assert.ok(out.warnings.some(w => w.includes('producer.max.block.ms')))
  assert.ok(!out.origin.has('key.serializer'))
})

test('enable.auto.commit is owned by the runtime for consumers only', () => {
  const consumer = translateClientConfig('consumer', { 'enable.auto.commit': 'true' }, 'consumer.')
  assert.deepEqual(consumer.global, {})
  assert.deepEqual(consumer.warnings, ['Ignoring consumer.enable.auto.commit: Connect manages this setting itself'])
  assert.deepEqual(translateClientConfig('admin', { 'enable.auto.commit': 'true' }, 'admin.').global, { 'enable.auto.commit': 'true' })
})

test('auto.offset.reset goes to the topic config', () => {
  const out = translateClientConfig('consumer', { 'auto.offset.reset': 'earliest', 'group.id': 'g' }, 'consumer.')
  assert.deepEqual(out.topic, { 'auto.offset.reset': 'earliest' })
  assert.deepEqual(out.global, { 'group.id': 'g' })
  assert.equal(out.origin.get('auto.offset.reset'), 'consumer.auto.offset.reset')
})

test('origin maps every librdkafka property to the worker key it came from', () => {
  const out = translateClientConfig('producer', { 'sasl.mechanism': 'PLAIN', 'buffer.memory': '2048', linger_ms_typo: 'x' }, 'producer.')
  // Security settings are translated as a group, after the others.
  assert.deepEqual([...out.origin], [
    ['queue.buffering.max.kbytes', 'producer.buffer.memory'],
    ['linger_ms_typo', 'producer.linger_ms_typo'],
    ['sasl.mechanisms', 'producer.sasl.mechanism']
  ])
  // Unknown names pass through to librdkafka, which is the judge.
  assert.equal(out.global.linger_ms_typo, 'x')
})

test('librdkafka\'s real unknown-property error becomes a ConfigError naming the worker key', () => {
  const out = translateClientConfig('producer', { 'foo.bar': '1' }, 'producer.')
  const real = realUnknownPropertyError('foo.bar')
  assert.ok(real instanceof Error)
  assert.match(real.message, /foo\.bar/)
  const explained = explainClientConfigError(real, out.origin, 'worker.properties')
  assert.ok(explained instanceof ConfigError)
  assert.equal(explained.message, `Unsupported or invalid Kafka client setting producer.foo.bar in worker.properties: ${real.message}`)
  assert.equal(explained.cause, real)
})

test('an error about a property with no known origin is still a ConfigError', () => {
  const real = realUnknownPropertyError('other.prop')
  const explained = explainClientConfigError(real, new Map(), 'the producer')
  assert.ok(explained instanceof ConfigError)
  assert.equal(explained.message, `Invalid Kafka client configuration in the producer: ${(real as Error).message}`)
  assert.equal(explainClientConfigError('plain string', new Map(), 'x').message, 'Invalid Kafka client configuration in x: plain string')
})

test('translated settings are accepted by librdkafka itself', () => {
  const producer = translateClientConfig('producer', {
    'sasl.mechanism': 'PLAIN',
    'delivery.timeout.ms': '120000',
    'max.request.size': '2097152',
    'buffer.memory': '33554432',
    'security.protocol': 'SASL_SSL',
    'send.buffer.bytes': '131072',
    'receive.buffer.bytes': '65536',
    'key.serializer': 'x'
  }, 'producer.')
  assert.doesNotThrow(() => new rdkafka.Producer(producer.global))
  const consumer = translateClientConfig('consumer', {
    'group.id': 'g',
    'fetch.max.wait.ms': '250',
    'partition.assignment.strategy': 'org.apache.kafka.clients.consumer.RoundRobinAssignor',
    'auto.offset.reset': 'earliest'
  }, 'consumer.')
  assert.doesNotThrow(() => new rdkafka.KafkaConsumer(consumer.global, consumer.topic))
  // The same settings untranslated are rejected, so the check above can fail.
  for (const javaName of ['buffer.memory', 'max.request.size', 'send.buffer.bytes', 'key.serializer']) {
    assert.throws(() => new rdkafka.Producer({ [javaName]: '100' }), /No such configuration property/, javaName)
  }
  assert.throws(() => new rdkafka.KafkaConsumer({ 'group.id': 'g', 'fetch.max.wait.ms': '250' }, {}), /No such configuration property/)
})

test('every worker client reconnects with Java\'s backoff (50 ms up to 1 s) unless the worker file says otherwise', () => {
  for (const kind of ['producer', 'consumer', 'admin'] as const) {
    const t = translateWorkerClientConfig(kind, { 'bootstrap.servers': 'localhost:9092' })
    assert.equal(t.global['reconnect.backoff.ms'], 50, kind)
    assert.equal(t.global['reconnect.backoff.max.ms'], 1000, kind)
  }
  // A client's own setting wins, for that client only.
  const originals = { 'producer.reconnect.backoff.max.ms': '5000', 'consumer.reconnect.backoff.ms': '200' }
  const producer = translateWorkerClientConfig('producer', originals)
  assert.equal(producer.global['reconnect.backoff.max.ms'], '5000')
  assert.equal(producer.global['reconnect.backoff.ms'], 50)
  assert.equal(producer.origin.get('reconnect.backoff.max.ms'), 'producer.reconnect.backoff.max.ms')
  const consumer = translateWorkerClientConfig('consumer', originals)
  assert.equal(consumer.global['reconnect.backoff.ms'], '200')
  assert.equal(consumer.global['reconnect.backoff.max.ms'], 1000)
  // librdkafka takes them under these names.
  assert.doesNotThrow(() => new rdkafka.Producer(producer.global))
  assert.doesNotThrow(() => new rdkafka.KafkaConsumer({ ...consumer.global, 'group.id': 'g' }, consumer.topic))
})

test('max.poll.records (Java only) is taken out of the consumer settings: default 500, a bad value named', () => {
  const global: Record<string, string | number | boolean> = { 'max.poll.records': '42', 'fetch.min.bytes': 1 }
  assert.equal(takeMaxPollRecords(global), 42)
  assert.deepEqual(global, { 'fetch.min.bytes': 1 }, 'librdkafka never sees the key')
  assert.equal(takeMaxPollRecords({}), 500)
  assert.throws(() => takeMaxPollRecords({ 'max.poll.records': 'lots' }), /Invalid value lots for configuration max\.poll\.records: must be an integer of at least 1/)
  assert.throws(() => takeMaxPollRecords({ 'max.poll.records': '0' }), /at least 1/)
})
