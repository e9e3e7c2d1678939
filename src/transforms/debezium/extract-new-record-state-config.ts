/**
 * The configuration of Debezium's ExtractNewRecordState as Debezium 3.6 defines it. Debezium parses these keys from
 * the raw strings (its Configuration class), not through a ConfigDef: booleans fall back to their default when they
 * are not true/false, strings are not trimmed, and only delete.tombstone.handling.mode is checked (an enum, case- and
 * space-insensitive). The ConfigDef below is what /config/validate sees (Debezium's Field.group of the same keys).
 */
import { ConfigDef, ConfigError, invalidValueMessage, javaHashMapOrder, javaStringHash, javaTrim } from '../../api/index.ts'
import type { Validator } from '../../api/index.ts'

export const DELETE_TOMBSTONE_HANDLING_MODE_CONFIG = 'delete.tombstone.handling.mode'
export const ROUTE_BY_FIELD_CONFIG = 'route.by.field'
export const ADD_FIELDS_PREFIX_CONFIG = 'add.fields.prefix'
export const ADD_FIELDS_CONFIG = 'add.fields'
export const ADD_HEADERS_PREFIX_CONFIG = 'add.headers.prefix'
export const ADD_HEADERS_CONFIG = 'add.headers'
export const REPLACE_NULL_WITH_DEFAULT_CONFIG = 'replace.null.with.default'
export const DROP_FIELDS_HEADER_NAME_CONFIG = 'drop.fields.header.name'
export const DROP_FIELDS_FROM_KEY_CONFIG = 'drop.fields.from.key'
export const DROP_FIELDS_KEEP_SCHEMA_COMPATIBLE_CONFIG = 'drop.fields.keep.schema.compatible'

/** Keys of Debezium 1.x/2.x that 3.x no longer reads (Debezium ignores them without a word; we warn). */
export const REMOVED_CONFIGS = ['drop.tombstones', 'delete.handling.mode', 'operation.header', 'add.source.fields'] as const

export const DELETED_FIELD = '__deleted'
export const METADATA_FIELD_PREFIX = '__'

export const DELETE_TOMBSTONE_HANDLING_MODES = ['drop', 'tombstone', 'rewrite', 'rewrite-with-tombstone', 'delete-to-tombstone'] as const
export type DeleteTombstoneHandling = typeof DELETE_TOMBSTONE_HANDLING_MODES[number]

// Debezium lists the literals from a HashSet, so its message names them in hash order.
const LITERALS = javaHashMapOrder(DELETE_TOMBSTONE_HANDLING_MODES.map(m => [m, m] as const), javaStringHash).map(([k]) => k).join(', ')
const ENUM_MESSAGE = `Value must be one of ${LITERALS}`

export function parseDeleteTombstoneHandling (value: string | null | undefined): DeleteTombstoneHandling | null {
  if (value === null || value === undefined) return null
  const v = javaTrim(value).toLowerCase()
  return (DELETE_TOMBSTONE_HANDLING_MODES as readonly string[]).includes(v) ? v as DeleteTombstoneHandling : null
}

const DELETE_TOMBSTONE_HANDLING_VALIDATOR: Validator = {
  ensureValid (name, value) {
    if (value === null) return
    if (parseDeleteTombstoneHandling(String(value)) === null) throw new ConfigError(invalidValueMessage(name, value, ENUM_MESSAGE))
  },
  toString () { return `[${LITERALS}]` }
}

const FIELDS_DOC = "Example: 'version,connector,source.ts_ms' adds __version, __connector and __source_ts_ms. A field may be renamed with a colon (source.ts_ms:EVENT_TIMESTAMP); the new name is case-sensitive."

export const EXTRACT_NEW_RECORD_STATE_CONFIG_DEF = new ConfigDef()
  .define({
    name: DELETE_TOMBSTONE_HANDLING_MODE_CONFIG,
    type: 'string',
    default: 'tombstone',
    validator: DELETE_TOMBSTONE_HANDLING_VALIDATOR,
    importance: 'medium',
    width: 'medium',
    displayName: 'Handle delete and tombstone records',
    documentation: 'How to handle delete events and tombstones. drop: remove both; tombstone (default): keep only a tombstone for each delete; rewrite: drop tombstones and add a __deleted field (true on deletes); rewrite-with-tombstone: as rewrite, keeping tombstones; delete-to-tombstone: turn deletes into tombstones and drop the original tombstones.'
  })
  .define({ name: ROUTE_BY_FIELD_CONFIG, type: 'string', default: '', importance: 'low', width: 'long', displayName: 'Route by field name', documentation: 'The column which determines how the events will be routed, the value will replace the topic name.' })
  .define({ name: ADD_FIELDS_PREFIX_CONFIG, type: 'string', default: METADATA_FIELD_PREFIX, importance: 'low', width: 'short', displayName: 'Field prefix to be added to each field.', documentation: 'Adds this prefix to each field listed.' })
  .define({ name: ADD_FIELDS_CONFIG, type: 'list', default: '', importance: 'low', width: 'long', displayName: 'Adds the specified field(s) to the message if they exist.', documentation: `Adds each field listed, prefixed with __ (or __<struct>_ if the struct is specified). ${FIELDS_DOC}` })
  .define({ name: ADD_HEADERS_PREFIX_CONFIG, type: 'string', default: METADATA_FIELD_PREFIX, importance: 'low', width: 'short', displayName: 'Header prefix to be added to each header.', documentation: 'Adds this prefix listed to each header.' })
  .define({ name: ADD_HEADERS_CONFIG, type: 'list', default: '', importance: 'low', width: 'long', displayName: 'Adds the specified fields to the header if they exist.', documentation: `Adds each field listed to the header, prefixed with __ (or __<struct>_ if the struct is specified). ${FIELDS_DOC}` })
  .define({ name: DROP_FIELDS_HEADER_NAME_CONFIG, type: 'string', default: null, importance: 'low', width: 'short', displayName: 'Specifies a header that contains a list of field names to be removed', documentation: 'Specifies the name of a header that contains a list of fields to be removed from the event value.' })
  .define({ name: DROP_FIELDS_FROM_KEY_CONFIG, type: 'boolean', default: false, importance: 'low', width: 'short', displayName: 'Specifies whether the fields to be dropped should also be omitted from the key', documentation: 'Specifies whether to apply the drop fields behavior to the event key as well as the value. Default behavior is to only remove fields from the event value, not the key.' })
  .define({ name: DROP_FIELDS_KEEP_SCHEMA_COMPATIBLE_CONFIG, type: 'boolean', default: true, importance: 'low', width: 'short', displayName: "Specifies if fields are dropped, will the event's schemas be compatible", documentation: "Controls the output event's schema compatibility when using the drop fields feature. true: dropped fields are removed if the schema indicates its optional leaving the schemas unchanged, false: dropped fields are removed from the key/value schemas, regardless of optionality." })

export interface ExtractNewRecordStateConfig {
  readonly mode: DeleteTombstoneHandling
  readonly routeByField: string | null
  readonly addFieldsPrefix: string
  readonly addFields: string
  readonly addHeadersPrefix: string
  readonly addHeaders: string
  readonly replaceNullWithDefault: boolean
  readonly dropFieldsHeaderName: string | null
  readonly dropFieldsFromKey: boolean
  readonly dropFieldsKeepSchemaCompatible: boolean
}

/** Debezium's Configuration.getBoolean: true/false in any case, with spaces; anything else is the default. */
function booleanOf (raw: string | undefined, fallback: boolean): boolean {
  if (raw === undefined || raw === null) return fallback
  const v = javaTrim(raw).toLowerCase()
  return v === 'true' ? true : v === 'false' ? false : fallback
}

/** Reads the keys as Debezium's configure() does, with the one validation it runs. */
export function readConfig (configs: Readonly<Record<string, string>>): ExtractNewRecordStateConfig {
  const rawMode = configs[DELETE_TOMBSTONE_HANDLING_MODE_CONFIG] ?? 'tombstone'
  const mode = parseDeleteTombstoneHandling(rawMode)
  if (mode === null) {
    throw new ConfigError(`Unable to validate config. The '${DELETE_TOMBSTONE_HANDLING_MODE_CONFIG}' value '${rawMode}' is invalid: ${ENUM_MESSAGE}`)
  }
  const route = configs[ROUTE_BY_FIELD_CONFIG] ?? ''
  return {
    mode,
    routeByField: route === '' ? null : route,
    addFieldsPrefix: configs[ADD_FIELDS_PREFIX_CONFIG] ?? METADATA_FIELD_PREFIX,
    addFields: configs[ADD_FIELDS_CONFIG] ?? '',
    addHeadersPrefix: configs[ADD_HEADERS_PREFIX_CONFIG] ?? METADATA_FIELD_PREFIX,
    addHeaders: configs[ADD_HEADERS_CONFIG] ?? '',
    replaceNullWithDefault: booleanOf(configs[REPLACE_NULL_WITH_DEFAULT_CONFIG], true),
    dropFieldsHeaderName: configs[DROP_FIELDS_HEADER_NAME_CONFIG] ?? null,
    dropFieldsFromKey: booleanOf(configs[DROP_FIELDS_FROM_KEY_CONFIG], false),
    dropFieldsKeepSchemaCompatible: booleanOf(configs[DROP_FIELDS_KEEP_SCHEMA_COMPATIBLE_CONFIG], true)
  }
}
