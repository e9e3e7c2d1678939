/**
 * Avro schema to Connect schema, following Confluent's AvroData.toConnectSchema: what a reader gets for a schema this
 * converter wrote (connect.* properties restore the Connect schema) and for one another producer wrote (record and
 * enum names, field docs and defaults as parameters, unions as io.confluent.connect.avro.Union structs, logical types).
 */
import {
  ConnectDate, ConnectTime, ConnectTimestamp, DataError, Decimal, DECIMAL_LOGICAL_NAME, SchemaBuilder, Schemas,
  Struct, type Schema
} from '../../../api/index.ts'
import { JsonNumber, type JsonNode } from '../../../util/json-reader.ts'
import type { AvroDataOptions } from './avro-data-config.ts'
import * as N from './avro-data-names.ts'
import { fullName, jsonToString, textProp, typeName, type AvroRecord, type AvroSchema } from './avro-schema.ts'

const LOGICAL_FROM_AVRO: Record<string, (schema: Schema, v: unknown) => unknown> = {
  [DECIMAL_LOGICAL_NAME]: (s, v) => Decimal.toLogical(s, v as Uint8Array),
  'org.apache.kafka.connect.data.Date': (s, v) => ConnectDate.toLogical(s, v as number),
  'org.apache.kafka.connect.data.Time': (s, v) => ConnectTime.toLogical(s, v as number),
  'org.apache.kafka.connect.data.Timestamp': (s, v) => ConnectTimestamp.toLogical(s, v as number | bigint)
}

/** A Connect logical value from its Avro form, for schemas named after a logical type. */
export function toConnectLogical (schema: Schema, value: unknown): unknown {
  const convert = schema.name !== undefined ? LOGICAL_FROM_AVRO[schema.name] : undefined
  return convert !== undefined && value !== null && value !== undefined ? convert(schema, value) : value
}

function jsonInt (node: JsonNode | undefined): number | null {
  return node instanceof JsonNumber ? Math.trunc(Number(node.text)) : null
}

/** An int64 from JSON, a bigint only beyond 2^53 (the value model's rule). */
function jsonLong (node: JsonNumber): number | bigint {
  const text = node.integral ? node.text : String(Math.trunc(Number(node.text)))
  const n = BigInt(text)
  return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : BigInt.asIntN(64, n)
}

/** Java's toString of a property value, for Avro properties copied into parameters. */
function propText (node: JsonNode): string {
  return typeof node === 'string' ? node : jsonToString(node)
}

function isMapEntry (s: AvroSchema): s is AvroRecord {
  if (s.type !== 'record') return false
  return (s.namespace === N.NAMESPACE && s.name === N.MAP_ENTRY_TYPE_NAME) || textProp(s.props, N.CONNECT_INTERNAL_TYPE_NAME) === N.MAP_ENTRY_TYPE_NAME
}

export class AvroToConnect {
  readonly #o: AvroDataOptions
  /** Records being converted: AvroData wraps cycles in a CyclicSchemaWrapper, which immutable schemas cannot be. */
  readonly #inProgress = new Set<AvroSchema>()

  constructor (options: AvroDataOptions) {
    this.#o = options
  }

  /** AvroData.toConnectSchema; `version` is the registry's, used when the schema has no connect.version. */
  convert (schema: AvroSchema, version?: number): Schema {
    this.#inProgress.clear()
    return this.#convert(schema, false, undefined, version)
  }

  #withCycles (schema: AvroSchema, forceOptional: boolean): Schema {
    if (this.#inProgress.has(schema)) throw new DataError(`Recursive Avro schemas are not supported: ${typeName(schema)} refers to itself`)
    return this.#convert(schema, forceOptional, undefined, undefined)
  }

  /** `fieldDefault` is the Avro field's default (undefined: none), which overrides connect.default. */
  #convert (schema: AvroSchema, forceOptional: boolean, fieldDefault: JsonNode | undefined, version: number | undefined): Schema {
    const o = this.#o
    let builder: SchemaBuilder
    switch (schema.type) {
      case 'boolean': builder = SchemaBuilder.bool(); break
      case 'double': builder = SchemaBuilder.float64(); break
      case 'float': builder = SchemaBuilder.float32(); break
      case 'string': builder = SchemaBuilder.string(); break
      case 'bytes': case 'fixed': {
        if (textProp(schema.props, N.AVRO_LOGICAL_TYPE_PROP)?.toLowerCase() === N.AVRO_LOGICAL_DECIMAL) {
          builder = Decimal.builder(jsonInt(schema.props.get(N.AVRO_LOGICAL_DECIMAL_SCALE_PROP)) ?? 0)
          const precision = schema.props.get(N.AVRO_LOGICAL_DECIMAL_PRECISION_PROP)
          if (precision !== undefined) {
            if (!(precision instanceof JsonNumber)) throw new DataError(`${N.AVRO_LOGICAL_DECIMAL_PRECISION_PROP} property must be a JSON Integer. https://avro.apache.org/docs/1.9.1/spec.html#Decimal`)
            const p = jsonInt(precision)!
            if (p !== N.CONNECT_AVRO_DECIMAL_PRECISION_DEFAULT) builder.parameter(N.CONNECT_AVRO_DECIMAL_PRECISION_PROP, String(p))
          }
        } else {
          builder = SchemaBuilder.bytes()
        }
        if (schema.type === 'fixed') builder.parameter(N.CONNECT_AVRO_FIXED_SIZE_PROP, String(schema.size))
        break
      }
      case 'int': {
        const connectType = textProp(schema.props, N.CONNECT_TYPE_PROP)
        const logical = textProp(schema.props, N.AVRO_LOGICAL_TYPE_PROP)
        if (logical !== null) {
          const l = logical.toLowerCase()
          builder = l === N.AVRO_LOGICAL_DATE ? ConnectDate.builder() : l === N.AVRO_LOGICAL_TIME_MILLIS ? ConnectTime.builder() : SchemaBuilder.int32()
        } else if (connectType === null) {
          builder = SchemaBuilder.int32()
        } else if (connectType === 'int8' || connectType === 'int16') {
          builder = new SchemaBuilder(connectType)
        } else {
          throw new DataError('Connect type annotation for Avro int field is null')
        }
        break
      }
      case 'long':
        builder = textProp(schema.props, N.AVRO_LOGICAL_TYPE_PROP)?.toLowerCase() === N.AVRO_LOGICAL_TIMESTAMP_MILLIS ? ConnectTimestamp.builder() : SchemaBuilder.int64()
        break
      case 'array': {
        const items = schema.items
        if (isMapEntry(items)) {
          const key = items.fields.find(f => f.name === N.KEY_FIELD)
          const value = items.fields.find(f => f.name === N.VALUE_FIELD)
          if (items.fields.length !== 2 || !key || !value) throw new DataError('Found map encoded as array of key-value pairs, but array elements do not match the expected format.')
          builder = SchemaBuilder.map(this.#withCycles(key.schema, false), this.#withCycles(value.schema, false))
        } else {
          builder = SchemaBuilder.array(this.#withCycles(items, false))
        }
        break
      }
      case 'map':
        builder = SchemaBuilder.map(Schemas.STRING, this.#withCycles(schema.values, false))
        break
      case 'record': {
        builder = SchemaBuilder.struct()
        this.#inProgress.add(schema)
        if (o.connectMetaData && schema.doc !== null) builder.parameter(N.AVRO_RECORD_DOC_PROP, schema.doc)
        for (const field of schema.fields) {
          if (o.connectMetaData && field.doc !== null) builder.parameter(N.AVRO_FIELD_DOC_PREFIX_PROP + field.name, field.doc)
          if (this.#inProgress.has(field.schema)) throw new DataError(`Recursive Avro schemas are not supported: ${fullName(schema)} refers to itself`)
          let fieldSchema = this.#convert(field.schema, false, field.defaultValue, undefined)
          const fieldParams = field.props.get(N.CONNECT_PARAMETERS_PROP)
          if (o.connectMetaData && fieldParams instanceof Map) fieldSchema = applyFieldLevelParams(fieldSchema, fieldParams)
          builder.field(field.name, fieldSchema)
        }
        this.#inProgress.delete(schema)
        break
      }
      case 'enum': {
        builder = SchemaBuilder.string()
        if (o.connectMetaData) {
          if (schema.doc !== null) builder.parameter(N.AVRO_ENUM_DOC_PREFIX_PROP + schema.name, schema.doc)
          if (schema.enumDefault !== null) builder.parameter(N.AVRO_ENUM_DEFAULT_PREFIX_PROP + schema.name, schema.enumDefault)
        }
        builder.parameter(N.AVRO_TYPE_ENUM, fullName(schema))
        for (const symbol of schema.symbols) builder.parameter(`${N.AVRO_TYPE_ENUM}.${symbol}`, symbol)
        break
      }
      case 'union': {
        const types = schema.types
        if (types.length === 1 && o.flattenSingletonUnions) return this.#withCycles(types[0]!, false)
        if (types.length === 2) {
          const member = types.find(t => t.type !== 'null')
          if (types.some(t => t.type === 'null') && member) return this.#withCycles(member, true)
        }
        builder = SchemaBuilder.struct().name(N.AVRO_TYPE_UNION)
        const names = new Set<string>()
        for (const member of types) {
          if (member.type === 'null') {
            builder.optional()
            continue
          }
          const fieldName = this.unionMemberFieldName(member)
          if (names.has(fieldName)) throw new DataError('Multiple union schemas map to the Connect union field name')
          names.add(fieldName)
          builder.field(fieldName, this.#withCycles(member, true))
        }
        break
      }
      case 'null':
        throw new DataError('Standalone null schemas are not supported by this converter')
    }

    const props = schema.type === 'union' ? new Map<string, JsonNode>() : schema.props
    const doc = textProp(props, N.CONNECT_DOC_PROP)
    if (o.connectMetaData && doc !== null) builder.doc(doc)

    const versionNode = props.get(N.CONNECT_VERSION_PROP)
    let versionInt = -1
    if (versionNode !== undefined) {
      if (!(versionNode instanceof JsonNumber)) throw new DataError(`Invalid Connect version found: ${propText(versionNode)}`)
      versionInt = jsonInt(versionNode)!
    } else if (version !== undefined) {
      versionInt = version
    }
    if (versionInt >= 0) {
      const current = builder.build().version
      if (current !== undefined && current !== versionInt) {
        throw new DataError(`Mismatched versions: version already added to SchemaBuilder (${current}) differs from version in source schema (${versionInt})`)
      }
      builder.version(versionInt)
    }

    const parameters = props.get(N.CONNECT_PARAMETERS_PROP)
    if (o.connectMetaData && parameters !== undefined) {
      if (!(parameters instanceof Map)) throw new DataError(`Expected JSON object for schema parameters but found: ${propText(parameters)}`)
      for (const [k, v] of parameters) {
        if (typeof v !== 'string') throw new DataError(`Expected schema parameter values to be strings but found: ${propText(v)}`)
        builder.parameter(k, v)
      }
    }
    for (const [k, v] of props) if (k.startsWith(N.AVRO_PROP)) builder.parameter(k, propText(v))

    const connectDefault = props.get(N.CONNECT_DEFAULT_VALUE_PROP)
    let defaultNode = fieldDefault
    if (defaultNode === undefined) defaultNode = connectDefault
    else if (o.connectMetaData && connectDefault === undefined) builder.parameter(N.AVRO_FIELD_DEFAULT_FLAG_PROP, 'true')

    // The name comes before the default here (Java: after) so that a struct default's schema carries it, as a
    // Struct built for the finished schema would.
    const connectName = props.get(N.CONNECT_NAME_PROP)
    let name: string | undefined
    if (connectName !== undefined) {
      if (typeof connectName !== 'string') throw new DataError(`Invalid schema name: ${propText(connectName)}`)
      name = connectName
    } else if (schema.type === 'record' || schema.type === 'enum') {
      name = fullName(schema)
    } else if (schema.type === 'fixed' && builder.build().name !== DECIMAL_LOGICAL_NAME) {
      name = fullName(schema)
    }
    if (name !== undefined && !name.startsWith(N.DEFAULT_SCHEMA_FULL_NAME)) {
      const current = builder.build().name
      if (current !== undefined && current !== name) {
        throw new DataError(`Mismatched names: name already added to SchemaBuilder (${current}) differs from name in source schema (${name})`)
      }
      builder.name(name)
    }

    if (defaultNode !== undefined && defaultNode !== null) {
      // AvroData logs and ignores a default it cannot convert.
      try {
        const partial = builder.build()
        builder.defaultValue(this.defaultFromAvro(partial, schema, defaultNode, fieldDefault !== undefined))
      } catch (err) {
        if (!(err instanceof DataError)) throw err
      }
    }
    if (forceOptional) builder.optional()
    return builder.build()
  }

  unionMemberFieldName (member: AvroSchema): string {
    if (member.type === 'record' || member.type === 'enum' || member.type === 'fixed') {
      return this.#o.enhancedSchemaSupport ? fullName(member) : N.scrubName(member.name, this.#o.scrubInvalidNames)
    }
    return member.type
  }

  /**
   * A default from JSON (defaultValueFromAvro): connect.default or a field's default. A record default from a field
   * falls back on each Connect field's own default for a missing member, as Java's Map-based path does.
   */
  defaultFromAvro (schema: Schema, avro: AvroSchema, node: JsonNode | undefined, fromField: boolean): unknown {
    if (node === undefined || node === null) return null
    return toConnectLogical(schema, this.#defaultWithoutLogical(schema, avro, node, fromField))
  }

  #defaultWithoutLogical (schema: Schema, avro: AvroSchema, node: JsonNode, fromField: boolean): unknown {
    const number = (): number => node instanceof JsonNumber ? Number(node.text) : typeof node === 'string' ? Number(node) : Number.NaN
    switch (avro.type) {
      case 'int':
        if (!(node instanceof JsonNumber)) throw new DataError(`Invalid default for ${schema.type}`)
        if (schema.type === 'int8') return ((jsonInt(node)! << 24) >> 24)
        if (schema.type === 'int16') return ((jsonInt(node)! << 16) >> 16)
        return jsonInt(node)! | 0
      case 'long':
        if (!(node instanceof JsonNumber)) throw new DataError('Invalid default for int64')
        return jsonLong(node)
      case 'float': return Math.fround(number())
      case 'double': return number()
      case 'boolean': return node === true
      case 'null': return null
      case 'string': case 'enum': return typeof node === 'string' ? node : jsonToString(node)
      case 'bytes': case 'fixed':
        if (typeof node !== 'string') throw new DataError('Invalid binary data in default value')
        return Buffer.from(node, 'latin1')
      case 'array': {
        if (!Array.isArray(node)) throw new DataError('Invalid JSON for array default value')
        if (schema.type === 'map') {
          // Connect's non-string-key maps: [[key, value], ...] as AvroData writes them, or MapEntry objects.
          const entry = avro.items as AvroRecord
          const k = entry.fields.find(f => f.name === N.KEY_FIELD)!
          const v = entry.fields.find(f => f.name === N.VALUE_FIELD)!
          return new Map(node.map(e => {
            if (!Array.isArray(e) || e.length !== 2) throw new DataError('Invalid JSON for record default value')
            return [this.defaultFromAvro(schema.keySchema!, k.schema, e[0], fromField), this.defaultFromAvro(schema.valueSchema!, v.schema, e[1], fromField)]
          }))
        }
        return node.map(e => this.defaultFromAvro(schema.valueSchema!, avro.items, e, fromField))
      }
      case 'map': {
        if (!(node instanceof Map)) throw new DataError('Invalid JSON for map default value')
        return new Map([...node].map(([k, v]) => [k, this.defaultFromAvro(schema.valueSchema!, avro.values, v, fromField)]))
      }
      case 'record': {
        if (!(node instanceof Map)) throw new DataError('Invalid JSON for record default value')
        const result = new Struct(schema)
        for (const avroField of avro.fields) {
          const field = schema.fields?.find(f => f.name === avroField.name)
          if (!field) throw new DataError(`${avroField.name} is not a valid field name`)
          const member = node.get(avroField.name)
          const value = member === undefined && fromField ? field.schema.defaultValue ?? null : this.defaultFromAvro(field.schema, avroField.schema, member, fromField)
          result.put(field.name, value)
        }
        return result
      }
      case 'union': {
        // Defaults must match the first type; AvroData reads it as the member's value (a union struct's default
        // then fails validation and is dropped, as there), and only a struct has members to look up.
        const first = avro.types[0]!
        if (first.type === 'null') return null
        if (schema.type !== 'struct') throw new DataError(`Cannot look up fields on non-struct type ${schema.type.toUpperCase()}`)
        const fieldName = this.unionMemberFieldName(first)
        const field = schema.fields?.find(f => f.name === fieldName)
        if (!field) throw new DataError(`${fieldName} is not a valid field name`)
        return this.defaultFromAvro(field.schema, first, node, fromField)
      }
    }
  }
}

/** A field's own connect.parameters (a named type written the second time) layered over its type's (AvroData). */
function applyFieldLevelParams (original: Schema, fieldParams: Map<string, JsonNode>): Schema {
  const originalParams = original.parameters ?? {}
  let same = true
  for (const [k, v] of fieldParams) if (propText(v) !== originalParams[k]) same = false
  if (same) return original
  const merged: Record<string, string> = { ...originalParams }
  for (const [k, v] of fieldParams) merged[k] = propText(v)
  return Object.freeze({ ...original, parameters: Object.freeze(merged) })
}
