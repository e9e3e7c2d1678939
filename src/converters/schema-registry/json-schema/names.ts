/** The names and schema properties Confluent's JsonSchemaData writes and reads. */
import type { Schema } from '../../../api/index.ts'

export const NAMESPACE = 'io.confluent.connect.json'
export const KEY_FIELD = 'key'
export const VALUE_FIELD = 'value'

export const CONNECT_TYPE_PROP = 'connect.type'
export const CONNECT_VERSION_PROP = 'connect.version'
export const CONNECT_PARAMETERS_PROP = 'connect.parameters'
export const CONNECT_INDEX_PROP = 'connect.index'
export const CONNECT_TYPE_MAP = 'map'
export const CONNECT_TYPE_BYTES = 'bytes'

/** Connect types that JSON Schema's integer/number/string do not name on their own. */
export const CONNECT_TYPES = ['int8', 'int16', 'int32', 'int64', 'float32', 'float64', 'bytes'] as const

export const JSON_ID_PROP = `${NAMESPACE}.Id`
export const JSON_TYPE_ENUM = `${NAMESPACE}.Enum`
export const JSON_TYPE_ONE_OF = `${NAMESPACE}.OneOf`
/** io.confluent.connect.schema.ConnectUnion / ConnectEnum's parameters (generalized.sum.type.support). */
export const GENERALIZED_TYPE_UNION = 'org.apache.kafka.connect.data.Union'
export const GENERALIZED_TYPE_ENUM = 'org.apache.kafka.connect.data.Enum'
export const GENERALIZED_TYPE_UNION_PREFIX = 'connect_union_'
export const GENERALIZED_TYPE_UNION_FIELD_PREFIX = `${GENERALIZED_TYPE_UNION_PREFIX}field_`
/** An enum's null symbol, as a parameter key. */
export const NULL_MARKER = '<NULL>'

/** A struct that stands for a oneOf/anyOf: one optional field per branch. */
export function isUnionSchema (schema: Schema): boolean {
  return schema.name === JSON_TYPE_ONE_OF || (schema.parameters !== undefined && Object.hasOwn(schema.parameters, GENERALIZED_TYPE_UNION))
}
