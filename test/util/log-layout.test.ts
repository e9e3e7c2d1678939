/**
 * The JSON log layout (--log-format json) and its agreement with the text layout: fields and their order, escaping,
 * context fields, error chains, and the same content (secrets hidden the same way) whichever layout writes a line.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { ConfigError, DataError, Password } from '../../src/api/index.ts'
import {
  contextFields, describeChain, describeError, errorChain, jsonLayout, parseLogFormat, textLayout, type LogRecord
} from '../../src/util/log-layout.ts'
import { createLogger, setLogFormat, setLogSink, withLogContext, writeLogLine } from '../../src/util/logger.ts'

const TIME = new Date(Date.UTC(2024, 4, 1, 12, 0, 0, 7))

function record (over: Partial<LogRecord> = {}): LogRecord {
  return { time: TIME, level: 'INFO', logger: 'WorkerSourceTask', context: undefined, message: 'hello', ...over }
}

/** Lines a logger writes while `fn` runs, in `format`. */
function captured (format: 'text' | 'json', fn: () => void): string[] {
  const lines: string[] = []
  setLogSink({ write: line => { lines.push(line) } })
  setLogFormat(format)
  try {
    fn()
  } finally {
    setLogFormat('text')
    setLogSink({ write: line => process.stderr.write(line) })
  }
  return lines
}

test('one object per line: time (ISO 8601 UTC with ms), level, logger, connector, task, message, in that order', () => {
  const line = jsonLayout(record({ level: 'WARN', logger: 'WorkerSinkTask', context: 'orders|task-2', message: 'Commit took 12 ms' }))
  assert.equal(line, '{"time":"2024-05-01T12:00:00.007Z","level":"WARN","logger":"WorkerSinkTask","connector":"orders","task":2,"message":"Commit took 12 ms"}\n')
  assert.equal(jsonLayout(record()), '{"time":"2024-05-01T12:00:00.007Z","level":"INFO","logger":"WorkerSourceTask","message":"hello"}\n')
})

test('context fields: a task line has connector and task (a number), a connector line the connector, others the context', () => {
  assert.deepEqual(contextFields('orders|task-0'), { connector: 'orders', task: 0 })
  assert.deepEqual(contextFields('orders|worker'), { connector: 'orders' })
  // Connector names may hold '|': the task suffix is the last one.
  assert.deepEqual(contextFields('a|task-1|task-13'), { connector: 'a|task-1', task: 13 })
  assert.deepEqual(contextFields('a\nb|task-3'), { connector: 'a\nb', task: 3 })
  assert.deepEqual(contextFields('something-else'), { context: 'something-else' })
  assert.deepEqual(contextFields(undefined), {})
  const parsed = JSON.parse(jsonLayout(record({ context: 'orders|worker' }))) as Record<string, unknown>
  assert.equal(parsed.connector, 'orders')
  assert.equal('task' in parsed, false)
})

test('escaping: newlines, quotes, backslashes, control characters and line separators never break the line; unicode stays UTF-8', () => {
  const message = 'quote " backslash \\ newline\nreturn\r tab\t nul\u0000 bell\u0007 esc-less é ü 中文 😀 nel\u0085 ls\u2028 ps\u2029 end'
  const line = jsonLayout(record({ message, logger: 'Weird"Logger\n', context: 'c"q\\|task-1' }))
  assert.ok(line.endsWith('}\n'))
  const body = line.slice(0, -1)
  // One line for every line reader: no raw CR/LF, nor what Python's splitlines also splits on.
  assert.doesNotMatch(body, /[\n\r\u000b\u000c\u001c-\u001e\u0085\u2028\u2029]/)
  assert.match(body, /\\n.*\\r.*\\t.*\\u0000.*\\u0007/)
  assert.match(body, /\\u0085.*\\u2028.*\\u2029/)
  assert.ok(body.includes('é ü 中文 😀'), 'non-ASCII text is written as UTF-8, not escaped')
  const parsed = JSON.parse(body) as Record<string, unknown>
  assert.equal(parsed.message, message)
  assert.equal(parsed.logger, 'Weird"Logger\n')
  assert.equal(parsed.connector, 'c"q\\')
  assert.equal(parsed.task, 1)
  // A lone surrogate (a string cut in the middle of a pair) is escaped, so the line stays valid UTF-8.
  const lone = jsonLayout(record({ message: 'cut \ud83d' }))
  assert.ok(lone.includes('\\ud83d'))
  assert.equal((JSON.parse(lone) as { message: string }).message, 'cut \ud83d')
})

test('terminal colours in a message are left out of JSON', () => {
  const parsed = JSON.parse(jsonLayout(record({ message: '\u001b[33mEmbedded broker started\u001b[39m at x' }))) as { message: string }
  assert.equal(parsed.message, 'Embedded broker started at x')
})

test('an error: name, message, code of a ConnectError, stack, and its cause chain', () => {
  const root = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' })
  const data = new DataError('Unknown magic byte!', { cause: root })
  const top = new ConfigError('Tolerance exceeded "in" stage\nVALUE_CONVERTER', { cause: data })
  const parsed = JSON.parse(jsonLayout(record({ level: 'ERROR', errors: errorChain(top) }))) as { error: Record<string, any> }
  const e = parsed.error
  assert.deepEqual(Object.keys(e), ['name', 'message', 'code', 'stack', 'cause'])
  assert.equal(e.name, 'ConfigError')
  assert.equal(e.message, 'Tolerance exceeded "in" stage\nVALUE_CONVERTER')
  assert.equal(e.code, 'CONNECT_ERR_CONFIG')
  assert.equal(e.stack, top.stack)
  assert.equal(e.cause.name, 'DataError')
  assert.equal(e.cause.code, 'CONNECT_ERR_DATA')
  assert.equal(e.cause.stack, data.stack)
  assert.equal(e.cause.cause.name, 'Error')
  assert.equal(e.cause.cause.code, 'ECONNREFUSED')
  assert.equal(e.cause.cause.message, 'connect ECONNREFUSED 127.0.0.1:1')
  assert.equal(e.cause.cause.cause, undefined)
  // A plain Error has no code; a thrown non-Error is its text.
  assert.deepEqual(Object.keys((JSON.parse(jsonLayout(record({ errors: errorChain(new Error('x')) }))) as { error: object }).error), ['name', 'message', 'stack'])
  assert.deepEqual((JSON.parse(jsonLayout(record({ errors: errorChain('just text') }))) as { error: object }).error, { message: 'just text' })
})

test('a cause chain that loops ends at the repeat', () => {
  const a = new Error('a')
  const b = new Error('b', { cause: a })
  ;(a as { cause?: unknown }).cause = b
  assert.deepEqual(errorChain(a).map(l => l.message), ['a', 'b'])
  assert.equal(describeError(a).split('Caused by:').length, 2)
})

test('the text layout is Apache\'s and reads the same error chain', () => {
  const err = new DataError('bad', { cause: new Error('root') })
  assert.equal(textLayout(record({ context: 'orders|task-0' })), '[2024-05-01 12:00:00.007] INFO [orders|task-0] hello (WorkerSourceTask)\n')
  assert.equal(textLayout(record({ errors: errorChain(err) })), `[2024-05-01 12:00:00.007] INFO hello (WorkerSourceTask)\n${err.stack!}\nCaused by: ${(err.cause as Error).stack!}\n`)
  assert.equal(describeError(err), describeChain(errorChain(err)))
  assert.equal(describeError(42), '42')
})

test('the same line in both layouts shows the same message and error text, secrets hidden alike', () => {
  const secret = 'S3cret-value-9'
  const log = createLogger('WorkerSinkTask')
  const err = new ConfigError(`Invalid value ${String(new Password(secret))} for configuration basic.auth.user.info`, { cause: new Error('inner') })
  const write = (): void => {
    withLogContext('orders|task-4', () => {
      log.info(`Settings: basic.auth.user.info=${String(new Password(secret))}, password=${JSON.stringify({ p: new Password(secret) })}`)
      log.error('Task failed', err)
    })
  }
  const text = captured('text', write)
  const json = captured('json', write)
  assert.equal(text.length, 2)
  assert.equal(json.length, 2)
  for (const line of [...text, ...json]) assert.ok(!line.includes(secret), line)
  const records = json.map(l => JSON.parse(l) as { message: string, connector: string, task: number, error?: Record<string, any> })
  assert.equal(records[0]!.message, 'Settings: basic.auth.user.info=[hidden], password={"p":"[hidden]"}')
  for (const [i, r] of records.entries()) {
    assert.equal(r.connector, 'orders')
    assert.equal(r.task, 4)
    assert.ok(text[i]!.includes(` [orders|task-4] ${r.message} (WorkerSinkTask)\n`), text[i])
  }
  // The text's error block is exactly the JSON error's stacks, outermost first.
  const e = records[1]!.error!
  assert.equal(text[1]!.slice(text[1]!.indexOf('\n') + 1), `${e.stack as string}\nCaused by: ${e.cause.stack as string}\n`)
})

test('the CLI\'s own lines (writeLogLine): a headline error shows name, message and code, its stack only when asked, never causes', () => {
  const err = new ConfigError('Invalid value ${file:/s.properties:x} for configuration offset.flush.interval.ms', { cause: new Error('Invalid value hunter2 for configuration offset.flush.interval.ms') })
  const [line] = captured('json', () => { writeLogLine('ERROR', 'ConnectStandalone', `Stopping due to error: ${err.message}`, err, { headline: true, stacks: false }) })
  assert.ok(!line!.includes('hunter2'))
  const parsed = JSON.parse(line!) as { level: string, logger: string, error: object }
  assert.equal(parsed.level, 'ERROR')
  assert.equal(parsed.logger, 'ConnectStandalone')
  assert.deepEqual(parsed.error, { name: 'ConfigError', message: err.message, code: 'CONNECT_ERR_CONFIG' })
  const [withStack] = captured('json', () => { writeLogLine('ERROR', 'ConnectStandalone', 'x', err, { headline: true, stacks: true }) })
  assert.deepEqual(Object.keys((JSON.parse(withStack!) as { error: object }).error), ['name', 'message', 'code', 'stack'])
  const [text] = captured('text', () => { writeLogLine('WARN', 'ConnectStandalone', 'plain') })
  assert.match(text!, /^\[[\d-]+ [\d:.]+\] WARN plain \(ConnectStandalone\)\n$/)
})

test('format names: text and json in any case; anything else is none', () => {
  assert.equal(parseLogFormat('json'), 'json')
  assert.equal(parseLogFormat(' JSON '), 'json')
  assert.equal(parseLogFormat('Text'), 'text')
  assert.equal(parseLogFormat('xml'), null)
  assert.equal(parseLogFormat(''), null)
  assert.equal(parseLogFormat('json5'), null)
})

test('with JSON logs, Node\'s process warnings are log lines too', () => {
  const logger = fileURLToPath(new URL('../../src/util/logger.ts', import.meta.url))
  const script = `const l = await import(${JSON.stringify(logger)}); l.setLogFormat('json'); l.logProcessWarnings();` +
    'process.emitWarning("careful\\nnow", "DeprecationWarning"); process.emitWarning(new Error("x"))'
  const r = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), '--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, NODE_NO_WARNINGS: '' } })
  assert.equal(r.status, 0, r.stderr)
  const records = r.stderr.trimEnd().split('\n').map(l => JSON.parse(l) as { level: string, logger: string, message: string })
  assert.deepEqual(records.map(x => [x.level, x.logger, x.message]), [['WARN', 'node', 'DeprecationWarning: careful\nnow'], ['WARN', 'node', 'Error: x']])
})
