// The typed view of a connector config (ConnectorConfig and its sink and source kinds): what the runtime reads, with
// the defaults, types and validators of the framework definitions.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ConfigError } from '../../src/api/index.ts'
import {
  SINK_CONNECTOR_CONFIG_DEF, SOURCE_CONNECTOR_CONFIG_DEF, SinkConnectorConfig, SourceConnectorConfig,
  defaultErrorHandlingConfig, parseConnectorConfig, sinkTopicsConfig, taskRestartPolicyConfig, transformationChainConfig
} from '../../src/config/connector-config.ts'

const defaultOf = (name: string): unknown => (SINK_CONNECTOR_CONFIG_DEF.get(name) ?? SOURCE_CONNECTOR_CONFIG_DEF.get(name))!.default

test('an empty config gives every default of the definitions (name and class are the herder\'s, not required here)', () => {
  const sink = SinkConnectorConfig.parse({ topics: 't' })
  assert.equal(sink.kind, 'sink')
  assert.equal(sink.tasksMax, defaultOf('tasks.max'))
  assert.equal(sink.enforceTasksMax, defaultOf('tasks.max.enforce'))
  assert.equal(sink.reloadAction, defaultOf('config.action.reload'))
  assert.deepEqual(sink.errors, {
    tolerance: defaultOf('errors.tolerance'),
    retryTimeoutMs: defaultOf('errors.retry.timeout'),
    retryDelayMaxMs: defaultOf('errors.retry.delay.max.ms'),
    logEnable: defaultOf('errors.log.enable'),
    logIncludeMessages: defaultOf('errors.log.include.messages'),
    dlqTopic: null,
    dlqReplicationFactor: defaultOf('errors.deadletterqueue.topic.replication.factor'),
    dlqContextHeaders: defaultOf('errors.deadletterqueue.context.headers.enable')
  })
  assert.deepEqual(sink.restartPolicy, {
    maxAttempts: defaultOf('errors.task.restart.max.attempts'),
    initialBackoffMs: defaultOf('errors.task.restart.backoff.initial.ms'),
    maxBackoffMs: defaultOf('errors.task.restart.backoff.max.ms')
  })
  assert.deepEqual(sink.transformationChain, { transformations: [], predicates: [] })
  assert.equal(sink.keyConverter, null)
  assert.equal(sink.valueConverter, null)
  assert.equal(sink.headerConverter, null)

  const source = SourceConnectorConfig.parse({})
  assert.equal(source.kind, 'source')
  assert.equal(source.dlqSourceEnable, false)
  assert.deepEqual(source.topicCreationGroups, [])
  assert.deepEqual({ ...source.errors }, { ...sink.errors })
  assert.deepEqual(taskRestartPolicyConfig({}), sink.restartPolicy)
  assert.deepEqual(defaultErrorHandlingConfig(), source.errors, 'a task without error settings fails fast with these')
})

test('values are parsed as the definitions type them', () => {
  const c = parseConnectorConfig({
    name: 'c',
    'connector.class': 'x',
    'tasks.max': ' 3 ',
    'tasks.max.enforce': 'FALSE',
    'config.action.reload': 'none',
    'errors.tolerance': 'all',
    'errors.retry.timeout': '-1',
    'errors.retry.delay.max.ms': '250',
    'errors.log.enable': 'true',
    'errors.log.include.messages': 'True',
    'errors.deadletterqueue.topic.name': ' dlq ',
    'errors.deadletterqueue.topic.replication.factor': '1',
    'errors.deadletterqueue.context.headers.enable': 'true',
    'errors.task.restart.max.attempts': '4',
    'errors.task.restart.backoff.initial.ms': '100',
    'errors.task.restart.backoff.max.ms': '250',
    topics: 'a, b,a'
  }, 'sink')
  assert.ok(c instanceof SinkConnectorConfig)
  assert.equal(c.tasksMax, 3)
  assert.equal(c.enforceTasksMax, false)
  assert.equal(c.reloadAction, 'none')
  assert.deepEqual(c.errors, {
    tolerance: 'all', retryTimeoutMs: -1, retryDelayMaxMs: 250, logEnable: true, logIncludeMessages: true,
    dlqTopic: 'dlq', dlqReplicationFactor: 1, dlqContextHeaders: true
  })
  assert.deepEqual(c.restartPolicy, { maxAttempts: 4, initialBackoffMs: 100, maxBackoffMs: 250 })
  assert.deepEqual(c.topics, ['a', 'b'], 'repeats dropped, as ConfigDef.parse does for a ValidList')
  assert.equal(c.topicsRegex, '')
  assert.deepEqual(sinkTopicsConfig({ 'topics.regex': 'x.*', 'tasks.max': '${env:N}' }), { topics: [], topicsRegex: 'x.*' })
})

test('a source has a DLQ only with errors.deadletterqueue.source.enable', () => {
  const without = SourceConnectorConfig.parse({ 'errors.deadletterqueue.topic.name': 'dlq' })
  assert.equal(without.errors.dlqTopic, null)
  const withDlq = SourceConnectorConfig.parse({ 'errors.deadletterqueue.topic.name': 'dlq', 'errors.deadletterqueue.source.enable': 'true' })
  assert.equal(withDlq.dlqSourceEnable, true)
  assert.equal(withDlq.errors.dlqTopic, 'dlq')
  assert.deepEqual(SourceConnectorConfig.parse({ 'topic.creation.groups': 'g1, g2' }).topicCreationGroups, ['g1', 'g2'])
})

test('a connector\'s own converters carry their prefixed settings; the worker\'s apply otherwise', () => {
  const c = SourceConnectorConfig.parse({
    'key.converter': ' org.apache.kafka.connect.json.JsonConverter ',
    'key.converter.schemas.enable': 'false',
    'value.converter.schemas.enable': 'true',
    'header.converter': ''
  })
  assert.deepEqual(c.keyConverter, { className: 'org.apache.kafka.connect.json.JsonConverter', props: { 'schemas.enable': 'false' } })
  assert.equal(c.valueConverter, null, 'settings without a class leave the worker\'s converter in place')
  assert.equal(c.headerConverter, null)
})

test('client overrides are the originals under their prefix', () => {
  const c = SinkConnectorConfig.parse({ topics: 't', 'consumer.override.group.id': 'mine', 'producer.override.linger.ms': '5' })
  assert.deepEqual(c.originalsWithPrefix('consumer.override.'), { 'group.id': 'mine' })
  assert.deepEqual(c.originalsWithPrefix('producer.override.'), { 'linger.ms': '5' })
})

test('the transformation chain: order, types, own settings, predicates and negate', () => {
  const chain = transformationChainConfig({
    transforms: 'a, b',
    'transforms.a.type': 'test.A',
    'transforms.a.suffix': '+a',
    'transforms.b.type': 'test.B',
    'transforms.b.predicate': ' isA ',
    'transforms.b.negate': 'true',
    predicates: 'isA',
    'predicates.isA.type': 'test.TopicIs',
    'predicates.isA.pattern': 'a'
  })
  assert.deepEqual(chain, {
    transformations: [
      { alias: 'a', type: 'test.A', props: { type: 'test.A', suffix: '+a' }, predicate: null, negate: false },
      { alias: 'b', type: 'test.B', props: { type: 'test.B', predicate: ' isA ', negate: 'true' }, predicate: 'isA', negate: true }
    ],
    predicates: [{ alias: 'isA', type: 'test.TopicIs', props: { type: 'test.TopicIs', pattern: 'a' } }]
  })
  assert.deepEqual(SourceConnectorConfig.parse({ transforms: 'a', 'transforms.a.type': 'test.A' }).transformationChain.transformations.map(t => t.alias), ['a'])
})

test('the chain\'s cross-key problems keep Apache\'s messages', () => {
  assert.throws(() => transformationChainConfig({ transforms: 'a', 'transforms.a.type': 'test.A', 'transforms.a.negate': 'true' }),
    (err: unknown) => err instanceof ConfigError &&
      err.message === "Config 'transforms.a.negate' was provided but there is no config 'transforms.a.predicate' defining a predicate to be negated.")
  assert.throws(() => transformationChainConfig({ transforms: 'a', 'transforms.a.type': 'test.A', 'transforms.a.predicate': 'missing' }),
    (err: unknown) => err instanceof ConfigError &&
      err.message === 'Invalid value missing for configuration transforms.a.predicate: Predicate alias missing is not defined in predicates')
})

test('a value the definitions refuse is a ConfigError with Kafka\'s message', () => {
  assert.throws(() => SourceConnectorConfig.parse({ 'tasks.max': '0' }),
    (err: unknown) => err instanceof ConfigError && err.message === 'Invalid value 0 for configuration tasks.max: Value must be at least 1')
  assert.throws(() => SinkConnectorConfig.parse({ topics: 't', 'errors.log.enable': 'yes' }),
    (err: unknown) => err instanceof ConfigError && /errors\.log\.enable: Expected value to be either true or false/.test(err.message))
  assert.throws(() => taskRestartPolicyConfig({ 'errors.task.restart.max.attempts': '-1' }),
    (err: unknown) => err instanceof ConfigError && /Value must be at least 0/.test(err.message))
})
