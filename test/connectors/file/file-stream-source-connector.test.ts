/**
 * The FileStream connectors: task configs (one source task whatever tasks.max says, tasks.max sink tasks) and
 * config errors at start.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ConfigError } from '../../../src/api/index.ts'
import { FileStreamSinkConnector, FileStreamSourceConnector } from '../../../connectors/file/index.ts'
import { FileStreamSinkTask } from '../../../connectors/file/file-stream-sink-task.ts'
import { FileStreamSourceTask } from '../../../connectors/file/file-stream-source-task.ts'

const SOURCE_PROPS = { name: 'local-file-source', file: '/tmp/in.txt', topic: 'connect-test', 'tasks.max': '4' }

test('the source connector returns exactly one task config whatever maxTasks is', () => {
  const connector = new FileStreamSourceConnector()
  connector.start(SOURCE_PROPS)
  for (const maxTasks of [1, 2, 10]) {
    const configs = connector.taskConfigs(maxTasks)
    assert.equal(configs.length, 1, `maxTasks=${maxTasks}`)
    assert.deepEqual(configs[0], SOURCE_PROPS)
  }
  // Each call returns a fresh copy.
  const [a] = connector.taskConfigs(1)
  a!.topic = 'changed'
  assert.equal(connector.taskConfigs(1)[0]!.topic, 'connect-test')
  assert.equal(connector.taskClass(), FileStreamSourceTask)
  assert.equal(connector.kind, 'source')
})

test('the sink connector returns maxTasks identical task configs', () => {
  const props = { name: 'local-file-sink', file: '/tmp/out.txt', topics: 'connect-test' }
  const connector = new FileStreamSinkConnector()
  connector.start(props)
  for (const maxTasks of [1, 3]) {
    const configs = connector.taskConfigs(maxTasks)
    assert.equal(configs.length, maxTasks)
    for (const c of configs) assert.deepEqual(c, props)
  }
  const configs = connector.taskConfigs(2)
  assert.notEqual(configs[0], configs[1], 'the copies are independent objects')
  assert.equal(connector.taskClass(), FileStreamSinkTask)
  assert.equal(connector.kind, 'sink')
})

test('a missing topic fails the source connector\'s start', () => {
  const connector = new FileStreamSourceConnector()
  assert.throws(() => connector.start({ name: 'src', file: '/tmp/in.txt' }), (err: unknown) =>
    err instanceof ConfigError && err.message.startsWith('Missing required configuration "topic"') && err.message.includes('connector src'))
})

test('every source config problem is listed at start', () => {
  const connector = new FileStreamSourceConnector()
  assert.throws(() => connector.start({ name: 'src', 'batch.size': 'lots' }), (err: unknown) =>
    err instanceof ConfigError && err.problems.length === 2 &&
    err.problems[0] === 'Missing required configuration "topic" which has no default value.' &&
    err.problems[1] === 'Invalid value lots for configuration batch.size: Not a number of type INT')
})

test('validate() reports problems without throwing', () => {
  const values = new FileStreamSourceConnector().validate({ topic: '' })
  const topic = values.find(v => v.name === 'topic')
  assert.deepEqual(topic?.errors, ['Invalid value  for configuration topic: String must be non-empty'])
  assert.deepEqual(values.find(v => v.name === 'file')?.errors, [])
  assert.deepEqual(values.map(v => v.name).sort(), ['batch.size', 'file', 'topic'])
})

test('both connectors report the Apache version they reproduce', () => {
  assert.match(new FileStreamSourceConnector().version(), /^\d+\.\d+\.\d+$/)
  assert.equal(new FileStreamSinkConnector().version(), new FileStreamSourceConnector().version())
})
