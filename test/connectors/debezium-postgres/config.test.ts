/**
 * The Debezium-compatible PostgreSQL source's configuration: Debezium 3.6's keys and defaults, each validator with a
 * good and a bad value (every problem naming its key, in Debezium's wording), the include/exclude exclusions, the
 * queue/batch rule, the Debezium keys refused because they change the output (and those accepted as harmless), and
 * the passwords never shown. Unit tests: no database.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ConfigError } from '../../../src/api/index.ts'
import {
  parsePostgresConnectorConfig, postgresConnectorConfigDef, POSTGRES_CONNECTOR_VERSION, splitStatements, validatePostgresConnectorConfig, ignoredKeys
} from '../../../connectors/debezium-postgres/config.ts'
import { DEFAULT_ONLY_KEYS, IGNORED_KEYS, REFUSED_KEYS } from '../../../connectors/debezium-postgres/unsupported-keys.ts'

const BASE: Record<string, string> = {
  'database.hostname': 'db.example.com',
  'database.user': 'cdc',
  'database.password': 's3cr3t-P4ss',
  'database.dbname': 'shop',
  'topic.prefix': 'dbserver1',
  'plugin.name': 'pgoutput'
}

function errors (props: Record<string, string>): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const v of validatePostgresConnectorConfig(props)) if (v.errors.length > 0) out[v.name] = v.errors
  return out
}

/** The problems of a config with these keys changed, or [] when valid; parse must agree with validate. */
function problemsWith (changes: Record<string, string>): string[] {
  const props = { ...BASE, ...changes }
  const validated = Object.values(errors(props)).flat()
  try {
    parsePostgresConnectorConfig(props)
    assert.deepEqual(validated, [], 'validate found problems parse did not')
    return []
  } catch (err) {
    assert.ok(err instanceof ConfigError)
    assert.deepEqual([...err.problems], validated)
    return validated
  }
}

test('the version is Debezium 3.6.1.Final, whose output the connector reproduces', () => {
  assert.equal(POSTGRES_CONNECTOR_VERSION, '3.6.1.Final')
})

test('every default is Debezium 3.6\'s', () => {
  const c = parsePostgresConnectorConfig(BASE)
  assert.equal(c.port, 5432)
  assert.equal(c.sslmode, 'prefer')
  assert.equal(c.sslRootCert, undefined)
  assert.equal(c.sslCert, undefined)
  assert.equal(c.sslKey, undefined)
  assert.equal(c.sslPassword, undefined)
  assert.deepEqual(c.initialStatements, [])
  assert.equal(c.pluginName, 'pgoutput')
  assert.equal(c.slotName, 'debezium')
  assert.equal(c.slotDropOnStop, false)
  assert.equal(c.publicationName, 'dbz_publication')
  assert.equal(c.publicationAutocreateMode, 'all_tables')
  assert.equal(c.snapshotMode, 'initial')
  assert.equal(c.snapshotFetchSize, 10240)
  assert.equal(c.decimalHandlingMode, 'precise')
  assert.equal(c.timePrecisionMode, 'adaptive')
  assert.equal(c.binaryHandlingMode, 'bytes')
  assert.equal(c.intervalHandlingMode, 'numeric')
  assert.equal(c.tombstonesOnDelete, true)
  assert.deepEqual(c.skippedOperations, ['t'])
  assert.equal(c.publicationPublishOption, undefined)
  assert.equal(c.heartbeatIntervalMs, 0)
  assert.equal(c.heartbeatTopicsPrefix, '__debezium-heartbeat')
  assert.equal(c.heartbeatTopic, '__debezium-heartbeat.dbserver1')
  assert.equal(c.maxBatchSize, 2048)
  assert.equal(c.maxQueueSize, 8192)
  assert.equal(c.pollIntervalMs, 500)
  assert.equal(c.statusUpdateIntervalMs, 10000)
  assert.equal(c.unavailableValuePlaceholder, '__debezium_unavailable_value')
  assert.deepEqual([...c.unavailableValuePlaceholderBytes], [...Buffer.from('__debezium_unavailable_value')])
  assert.equal(c.extendedHeadersEnabled, true)
  assert.equal(c.columnsFiltered, false)
  // The connection keys as given.
  assert.deepEqual([c.hostname, c.user, c.password, c.dbname, c.topicPrefix], ['db.example.com', 'cdc', 's3cr3t-P4ss', 'shop', 'dbserver1'])
})

test('the definition lists every supported key once, with Debezium\'s defaults', () => {
  const defaults = Object.fromEntries(postgresConnectorConfigDef.keys().map(k => [k.name, k.default]))
  assert.deepEqual(defaults, {
    'topic.prefix': undefined,
    'database.hostname': undefined,
    'database.port': 5432,
    'database.user': undefined,
    'database.password': null,
    'database.dbname': undefined,
    'database.sslmode': 'prefer',
    'database.sslrootcert': null,
    'database.sslcert': null,
    'database.sslkey': null,
    'database.sslpassword': null,
    'database.initial.statements': null,
    'plugin.name': 'decoderbufs',
    'slot.name': 'debezium',
    'slot.drop.on.stop': false,
    'publication.name': 'dbz_publication',
    'publication.autocreate.mode': 'all_tables',
    'schema.include.list': null,
    'schema.exclude.list': null,
    'table.include.list': null,
    'table.exclude.list': null,
    'column.include.list': null,
    'column.exclude.list': null,
    'table.ignore.builtin': true,
    'snapshot.mode': 'initial',
    'snapshot.fetch.size': 10240,
    'decimal.handling.mode': 'precise',
    'time.precision.mode': 'adaptive',
    'binary.handling.mode': 'bytes',
    'interval.handling.mode': 'numeric',
    'tombstones.on.delete': true,
    'skipped.operations': 't',
    'unavailable.value.placeholder': '__debezium_unavailable_value',
    'extended.headers.enabled': true,
    'heartbeat.interval.ms': 0,
    'topic.heartbeat.prefix': '__debezium-heartbeat',
    'topic.heartbeat.name': null,
    'max.batch.size': 2048,
    'max.queue.size': 8192,
    'poll.interval.ms': 500,
    'status.update.interval.ms': 10000
  })
  for (const k of postgresConnectorConfigDef.keys()) assert.ok(k.documentation.length > 10, k.name)
  assert.equal(postgresConnectorConfigDef.get('database.password')!.type, 'password')
  assert.equal(postgresConnectorConfigDef.get('database.sslpassword')!.type, 'password')
})

test('the required keys are reported missing, and blank, by name', () => {
  const props = { ...BASE }
  for (const key of ['database.hostname', 'database.user', 'database.dbname', 'topic.prefix']) delete props[key]
  const found = errors(props)
  for (const key of ['database.hostname', 'database.user', 'database.dbname', 'topic.prefix']) {
    assert.deepEqual(found[key], [`The '${key}' value is invalid: A value is required`])
  }
  for (const key of ['database.hostname', 'database.user', 'database.dbname']) {
    assert.deepEqual(problemsWith({ [key]: '  ' }), [`The '${key}' value is invalid: A value is required`])
  }
  // As Debezium, a blank topic prefix also fails the topic name pattern.
  assert.deepEqual(problemsWith({ 'topic.prefix': '  ' }), ["The 'topic.prefix' value is invalid: A value is required",
    "The 'topic.prefix' value is invalid:    has invalid format (only the underscore, hyphen, dot and alphanumeric characters are allowed)"])
})

test('the enumerated keys take Debezium\'s values in any case, and list them (in the order of Debezium\'s Java HashSet, checked with a JVM) when wrong', () => {
  const cases: Array<[string, string[], string, string]> = [
    ['database.sslmode', ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'], 'sslmode', 'allow, prefer, disable, verify-ca, require, verify-full'],
    ['publication.autocreate.mode', ['disabled', 'all_tables', 'filtered', 'no_tables'], 'publicationAutocreateMode', 'no_tables, filtered, disabled, all_tables'],
    ['decimal.handling.mode', ['precise', 'string', 'double'], 'decimalHandlingMode', 'string, double, precise'],
    ['time.precision.mode', ['adaptive', 'adaptive_time_microseconds', 'connect', 'isostring', 'microseconds', 'nanoseconds'], 'timePrecisionMode', 'adaptive, adaptive_time_microseconds, isostring, microseconds, nanoseconds, connect'],
    ['binary.handling.mode', ['bytes', 'base64', 'base64-url-safe', 'hex'], 'binaryHandlingMode', 'bytes, base64, hex, base64-url-safe'],
    ['interval.handling.mode', ['numeric', 'string'], 'intervalHandlingMode', 'string, numeric']
  ]
  for (const [key, values, field, listed] of cases) {
    for (const value of values) {
      const c = parsePostgresConnectorConfig({ ...BASE, [key]: ` ${value.toUpperCase()} ` }) as unknown as Record<string, unknown>
      assert.equal(c[field], value, `${key}=${value}`)
    }
    assert.deepEqual(problemsWith({ [key]: 'bogus' }), [`The '${key}' value is invalid: Value must be one of ${listed}`])
  }
})

test('plugin.name: pgoutput only; decoderbufs (Debezium\'s default, so an absent key too) is refused with the fix', () => {
  assert.equal(parsePostgresConnectorConfig({ ...BASE, 'plugin.name': 'PGOUTPUT' }).pluginName, 'pgoutput')
  const absent = { ...BASE }
  delete absent['plugin.name']
  for (const props of [absent, { ...BASE, 'plugin.name': 'decoderbufs' }]) {
    const problems = Object.values(errors(props)).flat()
    assert.equal(problems.length, 1)
    assert.match(problems[0]!, /^The 'plugin\.name' value is invalid: decoderbufs is not supported by this connector.*set plugin\.name=pgoutput/)
  }
  assert.deepEqual(problemsWith({ 'plugin.name': 'wal2json' }), ["The 'plugin.name' value is invalid: Value must be one of decoderbufs, pgoutput"])
})

test('snapshot.mode: the five supported modes; configuration_based and custom refused; never and exported explained', () => {
  for (const mode of ['initial', 'initial_only', 'no_data', 'always', 'when_needed']) {
    assert.equal(parsePostgresConnectorConfig({ ...BASE, 'snapshot.mode': mode.toUpperCase() }).snapshotMode, mode)
  }
  for (const mode of ['custom', 'configuration_based']) {
    assert.deepEqual(problemsWith({ 'snapshot.mode': mode }),
      [`The 'snapshot.mode' value is invalid: ${mode} is not supported by this connector (supported: initial, initial_only, no_data, always, when_needed)`])
  }
  const listed = 'Value must be one of always, initial_only, configuration_based, when_needed, initial, custom, no_data'
  assert.deepEqual(problemsWith({ 'snapshot.mode': 'never' }), [`The 'snapshot.mode' value is invalid: ${listed} ('never' was replaced by 'no_data' in Debezium 2.6 and removed in 3.3)`])
  assert.deepEqual(problemsWith({ 'snapshot.mode': 'exported' }), [`The 'snapshot.mode' value is invalid: ${listed} ('exported' is no longer a Debezium mode: use 'initial')`])
  assert.deepEqual(problemsWith({ 'snapshot.mode': 'sometimes' }), [`The 'snapshot.mode' value is invalid: ${listed}`])
})

test('slot.name: lower-case letters, digits and underscores, at most 63 (PostgreSQL\'s rule, as Debezium checks it)', () => {
  assert.equal(parsePostgresConnectorConfig({ ...BASE, 'slot.name': 'orders_slot_2' }).slotName, 'orders_slot_2')
  assert.deepEqual(problemsWith({ 'slot.name': 'a'.repeat(63) }), [])
  const message = "The 'slot.name' value is invalid: Valid replication slot name must contain only digits, lowercase characters and underscores with length <= 63"
  for (const bad of ['Orders', 'my-slot', 'a'.repeat(64), 'slot.1']) assert.deepEqual(problemsWith({ 'slot.name': bad }), [message], bad)
})

test('topic.prefix and the host name: letters, digits, _, - and . only (Debezium\'s patterns)', () => {
  assert.deepEqual(problemsWith({ 'topic.prefix': 'my-server_1.eu' }), [])
  assert.deepEqual(problemsWith({ 'topic.prefix': 'my server' }),
    ["The 'topic.prefix' value is invalid: my server has invalid format (only the underscore, hyphen, dot and alphanumeric characters are allowed)"])
  assert.deepEqual(problemsWith({ 'database.hostname': '10.0.0.7' }), [])
  assert.deepEqual(problemsWith({ 'database.hostname': 'db:5432' }),
    ["The 'database.hostname' value is invalid: db:5432 has invalid format (only the underscore, hyphen, dot and alphanumeric characters are allowed)"])
  assert.deepEqual(problemsWith({ 'topic.heartbeat.prefix': 'hb/x' }),
    ["The 'topic.heartbeat.prefix' value is invalid: hb/x has invalid format (only the underscore, hyphen, dot and alphanumeric characters are allowed)"])
  assert.match(problemsWith({ 'topic.heartbeat.name': 'a b' })[0]!, /^The 'topic\.heartbeat\.name' value is invalid: a b has invalid format/)
})

test('the heartbeat topic: <topic.heartbeat.prefix>.<topic.prefix>, or topic.heartbeat.name', () => {
  assert.equal(parsePostgresConnectorConfig({ ...BASE, 'topic.heartbeat.prefix': 'hb' }).heartbeatTopic, 'hb.dbserver1')
  assert.equal(parsePostgresConnectorConfig({ ...BASE, 'topic.heartbeat.name': 'all-heartbeats' }).heartbeatTopic, 'all-heartbeats')
  assert.equal(parsePostgresConnectorConfig({ ...BASE, 'heartbeat.interval.ms': '1000' }).heartbeatIntervalMs, 1000)
})

test('the numeric keys: Debezium\'s ranges in Debezium\'s words, Kafka\'s when not a number', () => {
  const ok: Array<[string, string, string, number]> = [
    ['database.port', '6543', 'port', 6543],
    ['max.batch.size', '1', 'maxBatchSize', 1],
    ['max.queue.size', '9000', 'maxQueueSize', 9000],
    ['poll.interval.ms', '1', 'pollIntervalMs', 1],
    ['status.update.interval.ms', '1', 'statusUpdateIntervalMs', 1],
    ['heartbeat.interval.ms', '0', 'heartbeatIntervalMs', 0],
    ['snapshot.fetch.size', '0', 'snapshotFetchSize', 0]
  ]
  for (const [key, value, field, expected] of ok) {
    assert.equal((parsePostgresConnectorConfig({ ...BASE, [key]: value }) as unknown as Record<string, unknown>)[field], expected, key)
  }
  const positive = 'A positive, non-zero integer value is expected'
  const nonNegative = 'An non-negative integer is expected'
  for (const [key, value, problem] of [
    ['max.batch.size', '0', positive], ['poll.interval.ms', '0', positive], ['poll.interval.ms', '2147483648', positive],
    ['status.update.interval.ms', '-1', positive], ['heartbeat.interval.ms', '-1', nonNegative], ['snapshot.fetch.size', '-5', nonNegative]
  ] as const) {
    assert.deepEqual(problemsWith({ [key]: value }), [`The '${key}' value is invalid: ${problem}`], `${key}=${value}`)
  }
  assert.deepEqual(problemsWith({ 'max.queue.size': '0' }),
    ["The 'max.queue.size' value is invalid: A positive queue size is required", "The 'max.queue.size' value is invalid: Must be larger than the maximum batch size"])
  // Not a number: Debezium's type check, then the key's own check (both, as Debezium 3.6.1 answers).
  assert.deepEqual(problemsWith({ 'database.port': 'five' }), ["The 'database.port' value is invalid: An integer is expected", "The 'database.port' value is invalid: An integer is expected"])
  assert.deepEqual(problemsWith({ 'heartbeat.interval.ms': '1.5' }), ["The 'heartbeat.interval.ms' value is invalid: An integer is expected", "The 'heartbeat.interval.ms' value is invalid: An non-negative integer is expected"])
  assert.deepEqual(problemsWith({ 'poll.interval.ms': 'x' }), ["The 'poll.interval.ms' value is invalid: A long value is expected", "The 'poll.interval.ms' value is invalid: A positive, non-zero integer value is expected"])
  assert.deepEqual(problemsWith({ 'max.queue.size': 'x' }), ["The 'max.queue.size' value is invalid: An integer is expected"])
})

test('max.queue.size must be larger than max.batch.size (Debezium\'s rule), reported on max.queue.size', () => {
  const message = "The 'max.queue.size' value is invalid: Must be larger than the maximum batch size"
  assert.deepEqual(problemsWith({ 'max.queue.size': '2048' }), [message])
  assert.deepEqual(problemsWith({ 'max.batch.size': '10000' }), [message])
  assert.deepEqual(problemsWith({ 'max.batch.size': '100', 'max.queue.size': '101' }), [])
})

test('the booleans: true/false in any case; anything else named', () => {
  const c = parsePostgresConnectorConfig({ ...BASE, 'slot.drop.on.stop': 'TRUE', 'tombstones.on.delete': 'False', 'extended.headers.enabled': 'false', 'table.ignore.builtin': 'true' })
  assert.deepEqual([c.slotDropOnStop, c.tombstonesOnDelete, c.extendedHeadersEnabled], [true, false, false])
  assert.deepEqual(problemsWith({ 'tombstones.on.delete': 'yes' }),
    ["The 'tombstones.on.delete' value is invalid: Either 'true' or 'false' is expected", "The 'tombstones.on.delete' value is invalid: Either 'true' or 'false' is expected"])
  assert.deepEqual(problemsWith({ 'slot.drop.on.stop': '1' }), ["The 'slot.drop.on.stop' value is invalid: Either 'true' or 'false' is expected"])
})

test('skipped.operations: Debezium\'s letters or none; none alone; anything else named', () => {
  assert.deepEqual(parsePostgresConnectorConfig({ ...BASE, 'skipped.operations': 'none' }).skippedOperations, [])
  assert.deepEqual(parsePostgresConnectorConfig({ ...BASE, 'skipped.operations': 'c, u,d' }).skippedOperations, ['c', 'u', 'd'])
  assert.deepEqual(parsePostgresConnectorConfig({ ...BASE, 'skipped.operations': 't,t' }).skippedOperations, ['t'])
  // Debezium restricts the publication it creates only when the key is set.
  assert.equal(parsePostgresConnectorConfig({ ...BASE, 'skipped.operations': 't' }).publicationPublishOption, 'insert,update,delete')
  assert.equal(parsePostgresConnectorConfig({ ...BASE, 'skipped.operations': 'd,r' }).publicationPublishOption, 'insert,update,truncate')
  assert.equal(parsePostgresConnectorConfig({ ...BASE, 'skipped.operations': 'none' }).publicationPublishOption, undefined)
  assert.deepEqual(problemsWith({ 'skipped.operations': 'c,x' }), ["The 'skipped.operations' value is invalid: Invalid operation"])
  assert.deepEqual(problemsWith({ 'skipped.operations': 'none,d' }), ["The 'skipped.operations' value is invalid: 'none' cannot be specified with other skipped operation types"])
})

test('unavailable.value.placeholder: text, or hex: and octets (as bytes for bytea columns)', () => {
  const c = parsePostgresConnectorConfig({ ...BASE, 'unavailable.value.placeholder': 'hex:00ff7f' })
  assert.equal(c.unavailableValuePlaceholder, 'hex:00ff7f')
  assert.deepEqual([...c.unavailableValuePlaceholderBytes], [0, 255, 127])
  assert.deepEqual([...parsePostgresConnectorConfig({ ...BASE, 'unavailable.value.placeholder': 'é' }).unavailableValuePlaceholderBytes], [0xc3, 0xa9])
  assert.deepEqual(problemsWith({ 'unavailable.value.placeholder': 'hex:abc' }),
    ["The 'unavailable.value.placeholder' value is invalid: the text after hex: must be hexadecimal octets"])
})

test('the SSL keys and the initial statements are carried as given', () => {
  const c = parsePostgresConnectorConfig({
    ...BASE,
    'database.sslmode': 'verify-full',
    'database.sslrootcert': '/etc/ssl/ca.pem',
    'database.sslcert': '/etc/ssl/client.pem',
    'database.sslkey': '/etc/ssl/client.key',
    'database.sslpassword': 'k3y-pass',
    'database.initial.statements': "SET search_path TO shop;SET application_name = 'a;;b';"
  })
  assert.deepEqual([c.sslmode, c.sslRootCert, c.sslCert, c.sslKey, c.sslPassword], ['verify-full', '/etc/ssl/ca.pem', '/etc/ssl/client.pem', '/etc/ssl/client.key', 'k3y-pass'])
  assert.deepEqual(c.initialStatements, ['SET search_path TO shop', "SET application_name = 'a;b'"])
  assert.deepEqual(splitStatements(' a ; ; b;;c '), ['a', 'b;c'])
  assert.deepEqual(splitStatements(''), [])
})

test('include and exclude lists of one kind are mutually exclusive, reported on the exclude list', () => {
  for (const kind of ['schema', 'table', 'column']) {
    assert.deepEqual(problemsWith({ [`${kind}.include.list`]: 'a', [`${kind}.exclude.list`]: 'b' }),
      [`The '${kind}.exclude.list' value is invalid: "${kind}.include.list" is already specified`])
  }
  // Lists of different kinds combine.
  assert.deepEqual(problemsWith({ 'schema.include.list': 'public', 'table.exclude.list': 'public.audit', 'column.exclude.list': 'public.users.ssn' }), [])
})

test('a filter list that is not regular expressions is named', () => {
  assert.match(problemsWith({ 'table.include.list': 'public.(orders' })[0]!,
    /^The 'table\.include\.list' value is invalid: A comma-separated list of valid regular expressions is expected, but /)
  assert.match(problemsWith({ 'column.exclude.list': 'public.t.a*+' })[0]!, /^The 'column\.exclude\.list' value is invalid: .*possessive quantifier/)
})

test('the parsed config filters as Debezium: lists on schema, schema.table, schema.table.column, ignoring case', () => {
  const c = parsePostgresConnectorConfig({ ...BASE, 'schema.include.list': 'inventory', 'table.exclude.list': 'inventory\\.audit_.*', 'column.exclude.list': 'inventory.customers.(ssn|card)' })
  assert.equal(c.includeSchema('INVENTORY'), true)
  assert.equal(c.includeSchema('public'), false)
  assert.equal(c.includeTable('inventory', 'orders'), true)
  assert.equal(c.includeTable('inventory', 'audit_log'), false)
  assert.equal(c.includeTable('public', 'orders'), false)
  assert.equal(c.includeColumn('inventory', 'customers', 'SSN'), false)
  assert.equal(c.includeColumn('inventory', 'customers', 'name'), true)
  assert.equal(c.columnsFiltered, true)
  const escaped = parsePostgresConnectorConfig({ ...BASE, 'table.include.list': 'public.a{1\\,2}, public.z' })
  assert.equal(escaped.includeTable('public', 'aa'), true)
  assert.equal(escaped.includeTable('public', 'z'), true)
  assert.equal(escaped.includeTable('public', 'b'), false)
})

test('Debezium keys that change the output are refused, by /config/validate and at start, naming the key', () => {
  const cases: Record<string, string> = {
    'column.mask.with.12.chars': 'public.users.email',
    'column.mask.hash.SHA-256.with.salt.CzQMA0cB5K': 'public.users.email',
    'column.truncate.to.20.chars': 'public.users.bio',
    'message.key.columns': 'public.orders:customer_id',
    'column.propagate.source.type': '.*',
    'datatype.propagate.source.type': '.+\\.NUMERIC',
    'snapshot.select.statement.overrides': 'public.orders',
    'snapshot.select.statement.overrides.public.orders': 'SELECT * FROM public.orders WHERE id > 10',
    'signal.data.collection': 'public.debezium_signal',
    'converters': 'boolean',
    'heartbeat.action.query': 'UPDATE hb SET ts = now()'
  }
  for (const [key, value] of Object.entries(cases)) {
    const problems = problemsWith({ [key]: value })
    assert.equal(problems.length, 1, key)
    assert.match(problems[0]!, new RegExp(`^The '${key.replace(/\./g, '\\.')}' value is invalid: ${key.replace(/\./g, '\\.')} is not supported by this connector \\(.+\\); remove it$`))
    assert.deepEqual(errors({ ...BASE, [key]: value })[key], problems)
  }
  // A blank value changes nothing.
  assert.deepEqual(problemsWith({ 'message.key.columns': ' ' }), [])
})

test('Debezium keys accepted only at their default value are refused at any other, with the default named', () => {
  for (const spec of DEFAULT_ONLY_KEYS) {
    const atDefault = spec.kind === 'enum' || spec.kind === 'boolean' ? spec.default.toUpperCase() : spec.default
    assert.deepEqual(problemsWith({ [spec.key]: atDefault }), [], `${spec.key}=${atDefault}`)
    const other = spec.kind === 'boolean' ? String(spec.default !== 'true') : spec.kind === 'int' ? '7' : 'something_else'
    assert.deepEqual(problemsWith({ [spec.key]: other }),
      [`The '${spec.key}' value is invalid: ${other} is not supported by this connector, only the default ${spec.default} (${spec.why})`])
  }
  assert.deepEqual(problemsWith({ 'provide.transaction.metadata': 'true', 'topic.naming.strategy': 'io.debezium.schema.DefaultTopicNamingStrategy' }).length, 2)
})

test('harmless Debezium keys, framework keys and unknown keys are accepted; the harmless ones can be logged', () => {
  const props: Record<string, string> = { ...BASE, name: 'pg', 'connector.class': 'io.debezium.connector.postgresql.PostgresConnector', 'tasks.max': '1' }
  for (const { key } of IGNORED_KEYS) props[key] = '1'
  Object.assign(props, { 'schema.history.internal.kafka.topic': 'h', 'errors.tolerance': 'all', 'value.converter': 'org.apache.kafka.connect.json.JsonConverter', 'driver.loginTimeout': '5', 'some.custom.key': 'x' })
  assert.deepEqual(problemsWith(props), [])
  const logged = ignoredKeys(props).map(k => k.key)
  for (const { key } of IGNORED_KEYS) assert.ok(logged.includes(key), key)
  assert.ok(logged.includes('schema.history.internal.kafka.topic'))
  assert.ok(!logged.includes('some.custom.key') && !logged.includes('name'))
  // No key is in two classes.
  const all = [...IGNORED_KEYS, ...DEFAULT_ONLY_KEYS, ...REFUSED_KEYS].map(k => k.key)
  assert.equal(new Set(all).size, all.length)
  for (const key of all) assert.ok(!postgresConnectorConfigDef.has(key), key)
})

test('every problem is reported at once, and no password appears in any message', () => {
  const props = {
    ...BASE,
    'database.password': 'hunter2-TOP',
    'database.sslpassword': 'ssl-hunter2',
    'database.port': 'hunter2-TOP',
    'slot.name': 'Bad-Slot',
    'max.batch.size': '0',
    'column.mask.with.5.chars': 'public.t.c',
    'table.include.list': 'a',
    'table.exclude.list': 'b'
  }
  const validated = validatePostgresConnectorConfig(props)
  const text = JSON.stringify(validated.flatMap(v => v.errors))
  assert.equal(validated.flatMap(v => v.errors).length, 6)
  assert.throws(() => parsePostgresConnectorConfig(props, 'connector pg'), (err: unknown) => {
    assert.ok(err instanceof ConfigError)
    assert.match(err.message, /^6 configuration problems in connector pg:\n {2}- /)
    for (const key of ['database.port', 'slot.name', 'max.batch.size', 'column.mask.with.5.chars', 'table.exclude.list']) assert.ok(err.message.includes(key), key)
    assert.ok(!err.message.includes('ssl-hunter2'))
    return true
  })
  assert.ok(!text.includes('ssl-hunter2'))
  // The parsed password values print hidden (the REST layer hides the raw values of password keys).
  for (const v of validated) if (v.name.endsWith('password')) assert.ok(!JSON.stringify([v.value, v.errors]).includes('hunter2'), v.name)
})

test('the connector files of a Debezium 3.6.1 run (Apache Connect, issue 15\'s sample) are accepted as they are', () => {
  const common = {
    name: 'dbz', 'connector.class': 'io.debezium.connector.postgresql.PostgresConnector', 'tasks.max': '1', 'database.hostname': '127.0.0.1',
    'database.port': '36009', 'database.user': 'postgres', 'database.password': 'connect-test-secret', 'database.dbname': 'dbz_sample',
    'plugin.name': 'pgoutput', 'topic.creation.default.replication.factor': '1', 'topic.creation.default.partitions': '1'
  }
  const files = [
    { ...common, 'topic.prefix': 'dbz', 'slot.name': 'dbz_sample_main', 'snapshot.mode': 'initial', 'tombstones.on.delete': 'true', 'heartbeat.interval.ms': '3000' },
    {
      ...common, 'topic.prefix': 'dbzx', 'slot.name': 'dbz_sample_extract', 'publication.name': 'dbzx_publication', transforms: 'unwrap',
      'transforms.unwrap.type': 'io.debezium.transforms.ExtractNewRecordState', 'transforms.unwrap.add.fields': 'op,table,lsn,source.ts_ms',
      'transforms.unwrap.add.headers': 'db', 'transforms.unwrap.delete.handling.mode': 'rewrite'
    },
    { ...common, 'topic.prefix': 'dbzt', 'slot.name': 'dbz_sample_truncate', 'publication.name': 'dbzt_publication', 'skipped.operations': 'none' }
  ]
  for (const props of files) {
    assert.deepEqual(errors(props), {}, props['topic.prefix'])
    assert.deepEqual(ignoredKeys(props), [])
  }
  const truncates = parsePostgresConnectorConfig(files[2]!)
  assert.deepEqual([truncates.skippedOperations, truncates.publicationPublishOption, truncates.heartbeatTopic], [[], undefined, '__debezium-heartbeat.dbzt'])
  assert.equal(parsePostgresConnectorConfig(files[0]!).heartbeatIntervalMs, 3000)
})
