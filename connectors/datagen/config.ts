/**
 * Config keys of the Datagen connector, kafka-connect-datagen's names and defaults, and the schema its source keys
 * name. Exactly one of `quickstart`, `schema.string` and `schema.filename` gives the Avro schema; each is parsed, and
 * its annotations compiled, when the key is validated, so a bad schema is reported on its own key.
 */
import { readFileSync } from 'node:fs'
import { ConfigDef, ConfigError, NonEmptyString, invalidValueMessage, type ParsedConfig, type Schema, type Validator } from '../../src/api/index.ts'
import { AvroSchemaError, parseAvroSchema, parseAvroSchemaText, type AvroRecord, type AvroSchema } from './avro-schema.ts'
import { toConnectSchema } from './avro-to-connect.ts'
import { Prng } from './prng.ts'
import { QUICKSTARTS, quickstartByResource } from './quickstart/index.ts'
import { GeneratorError, RandomGenerator } from './random-generator.ts'

export const KAFKA_TOPIC_CONFIG = 'kafka.topic'
export const MAX_INTERVAL_CONFIG = 'max.interval'
export const ITERATIONS_CONFIG = 'iterations'
export const SCHEMA_STRING_CONFIG = 'schema.string'
export const SCHEMA_FILENAME_CONFIG = 'schema.filename'
export const SCHEMA_KEYFIELD_CONFIG = 'schema.keyfield'
export const QUICKSTART_CONFIG = 'quickstart'
export const RANDOM_SEED_CONFIG = 'random.seed'
/** Set by the connector in each task's config: 0 to tasks.max - 1. */
export const TASK_ID_CONFIG = 'task.id'

export const SCHEMA_SOURCE_KEYS = [SCHEMA_STRING_CONFIG, SCHEMA_FILENAME_CONFIG, QUICKSTART_CONFIG] as const
export type SchemaSourceKey = typeof SCHEMA_SOURCE_KEYS[number]

/** The kafka-connect-datagen release whose keys and behaviour the connector reproduces. */
export const DATAGEN_CONNECTOR_VERSION = '0.6.6'

/** The Avro schema a source key names, as a record, or a ConfigError naming the key. */
export function loadSchema (key: SchemaSourceKey, value: string): AvroRecord {
  let avro: AvroSchema
  try {
    if (key === QUICKSTART_CONFIG) {
      const quickstart = QUICKSTARTS.get(value.toLowerCase())
      if (quickstart === undefined) throw new ConfigError(invalidValueMessage(key, value, `must be one of ${[...QUICKSTARTS.keys()].join(', ')}`))
      avro = parseAvroSchema(quickstart.schema)
    } else if (key === SCHEMA_STRING_CONFIG) {
      avro = parseAvroSchemaText(value)
    } else {
      let text: string
      try {
        text = readFileSync(value, 'utf8')
      } catch (err) {
        // As in kafka-connect-datagen, a name that is no file may be one of the bundled schemas' resource names.
        const bundled = quickstartByResource(value)
        if (bundled === undefined) throw new ConfigError(invalidValueMessage(key, value, `Unable to find the schema file (${(err as Error).message})`))
        text = JSON.stringify(bundled.schema)
      }
      avro = parseAvroSchemaText(text)
    }
  } catch (err) {
    if (err instanceof AvroSchemaError) throw new ConfigError(problem(key, value, `Unable to parse the provided schema: ${err.message}`))
    throw err
  }
  if (avro.type !== 'record') {
    throw new ConfigError(problem(key, value, `the schema must be an Avro record (one is generated per message), not ${avro.type}`))
  }
  return avro
}

/** A schema.string is too long to repeat in a message; the other keys' values are shown. */
function problem (key: SchemaSourceKey, value: string, message: string): string {
  return key === SCHEMA_STRING_CONFIG ? `Invalid value for configuration ${key}: ${message}` : invalidValueMessage(key, value, message)
}

/** The Connect schema of the records, after checking the annotations can generate data (a ConfigError naming the key). */
export function connectSchemaOf (key: SchemaSourceKey, value: string, avro: AvroRecord): Schema {
  try {
    const schema = toConnectSchema(avro)
    void new RandomGenerator(avro, schema, new Prng(0n))
    return schema
  } catch (err) {
    if (err instanceof AvroSchemaError) throw new ConfigError(problem(key, value, `Unable to parse the provided schema: ${err.message}`))
    if (err instanceof GeneratorError) throw new ConfigError(problem(key, value, `the schema's ${'arg.properties'} cannot generate data: ${err.message}`))
    throw err
  }
}

function schemaValidator (key: SchemaSourceKey): Validator {
  return {
    ensureValid (_name, value) {
      if (typeof value !== 'string' || value === '') return
      connectSchemaOf(key, value, loadSchema(key, value))
    },
    toString () {
      return key === QUICKSTART_CONFIG ? `[${[...QUICKSTARTS.keys()].join(', ')}]` : key === SCHEMA_FILENAME_CONFIG ? 'a readable Avro schema file' : 'an Avro schema'
    }
  }
}

export const DATAGEN_CONFIG_DEF = new ConfigDef()
  .define({ name: KAFKA_TOPIC_CONFIG, type: 'string', validator: NonEmptyString, importance: 'high', documentation: 'Topic to write to' })
  .define({ name: MAX_INTERVAL_CONFIG, type: 'long', default: 500, importance: 'high', documentation: 'Max interval between messages (ms)' })
  .define({
    name: ITERATIONS_CONFIG,
    type: 'int',
    default: -1,
    importance: 'high',
    documentation: 'Number of messages to send from each task, or less than 1 for unlimited'
  })
  .define({
    name: SCHEMA_STRING_CONFIG,
    type: 'string',
    default: '',
    validator: schemaValidator(SCHEMA_STRING_CONFIG),
    importance: 'high',
    documentation: 'The literal JSON-encoded Avro schema to use. Cannot be set with schema.filename or quickstart'
  })
  .define({
    name: SCHEMA_FILENAME_CONFIG,
    type: 'string',
    default: '',
    validator: schemaValidator(SCHEMA_FILENAME_CONFIG),
    importance: 'high',
    documentation: 'Filename of schema to use. Cannot be set with schema.string or quickstart'
  })
  .define({ name: SCHEMA_KEYFIELD_CONFIG, type: 'string', default: '', importance: 'high', documentation: 'Name of field to use as the message key' })
  .define({
    name: QUICKSTART_CONFIG,
    type: 'string',
    default: '',
    validator: schemaValidator(QUICKSTART_CONFIG),
    importance: 'high',
    documentation: 'Name of quickstart to use. Cannot be set with schema.string or schema.filename'
  })
  .define({
    name: RANDOM_SEED_CONFIG,
    type: 'long',
    default: null,
    importance: 'low',
    documentation: 'Numeric seed for generating random data. Two connectors started with the same seed will deterministically produce ' +
      'the same data. Each task will generate different data than the other tasks in the same connector.'
  })

export const SCHEMA_SOURCE_ERROR = `Must set exactly one of ${SCHEMA_SOURCE_KEYS.join(', ')}`

/** The source keys that are set (non-empty). */
export function schemaSources (config: ParsedConfig): SchemaSourceKey[] {
  return SCHEMA_SOURCE_KEYS.filter(key => (config.string(key) ?? '') !== '')
}

/** Everything a task needs, from a parsed config; throws a ConfigError naming the key at fault. */
export interface DatagenSettings {
  readonly topic: string
  readonly maxInterval: number
  readonly iterations: number
  readonly keyField: string
  readonly seed: bigint | null
  readonly avro: AvroRecord
  readonly schema: Schema
}

export function datagenSettings (props: Readonly<Record<string, string>>, context?: string): DatagenSettings {
  const config = DATAGEN_CONFIG_DEF.parse(props, context)
  const sources = schemaSources(config)
  if (sources.length !== 1) throw new ConfigError(`${SCHEMA_SOURCE_ERROR}${sources.length > 1 ? ` (${sources.join(', ')} are set)` : ''}`)
  const key = sources[0]!
  const value = config.string(key)!
  const avro = loadSchema(key, value)
  const schema = connectSchemaOf(key, value, avro)
  let keyField = config.string(SCHEMA_KEYFIELD_CONFIG) ?? ''
  if (keyField === '' && key === QUICKSTART_CONFIG) keyField = QUICKSTARTS.get(value.toLowerCase())!.keyField
  if (keyField !== '' && !avro.fields.some(f => f.name === keyField)) throw new ConfigError(KEYFIELD_ERROR)
  const seed = props[RANDOM_SEED_CONFIG] === undefined ? null : config.long(RANDOM_SEED_CONFIG)
  return {
    topic: config.string(KAFKA_TOPIC_CONFIG)!,
    maxInterval: config.long(MAX_INTERVAL_CONFIG),
    iterations: config.int(ITERATIONS_CONFIG),
    keyField,
    seed: seed === null ? null : BigInt(seed),
    avro,
    schema
  }
}

export const KEYFIELD_ERROR = `The schema does not contain the field provided in '${SCHEMA_KEYFIELD_CONFIG}'`
