/**
 * Connect schema to Avro schema, following Confluent's AvroData.fromConnectSchema: record names (ConnectDefault with
 * a counter for unnamed structs), connect.* properties when connect.meta.data is on, optional as a union with null
 * (null first, or last when there is a default), int8/int16 as int with connect.type, Decimal/Date/Time/Timestamp as
 * Avro logical types, non-string map keys as an array of MapEntry records, Confluent's enum and union encodings.
 */
import {
  ConnectDate, ConnectTime, ConnectTimestamp, Decimal, DECIMAL_LOGICAL_NAME, DATE_LOGICAL_NAME,
  TIME_LOGICAL_NAME, TIMESTAMP_LOGICAL_NAME, javaDoubleToString, javaFloatToString, schemaEquals,
  type BigDecimal, type Schema, type Struct
} from '../../../api/index.ts'
import { JsonNumber, type JsonNode } from '../../../util/json-reader.ts'
import type { AvroDataOptions } from './avro-data-config.ts'
import * as N from './avro-data-names.ts'
import { primitive, splitFullName, validateName, type AvroField, type AvroProps, type AvroRecord, type AvroSchema } from './avro-schema.ts'

const intNode = (n: number | bigint): JsonNumber => new JsonNumber(String(n), true)

function doubleNode (d: number): JsonNode {
  // Jackson's generator quotes non-finite numbers (QUOTE_NON_NUMERIC_NUMBERS).
  return Number.isFinite(d) ? new JsonNumber(javaDoubleToString(d), false) : javaDoubleToString(d)
}

function floatNode (f: number): JsonNode {
  return Number.isFinite(f) ? new JsonNumber(javaFloatToString(f), false) : javaFloatToString(f)
}

/** A Connect schema like this one but required (AvroData.nonOptional). */
export function nonOptional (schema: Schema): Schema {
  return schema.optional ? Object.freeze({ ...schema, optional: false }) : schema
}

export function isUnionSchema (schema: Schema): boolean {
  return schema.name === N.AVRO_TYPE_UNION
}

export function isEnumSchema (schema: Schema): boolean {
  return schema.type === 'string' && schema.parameters?.[N.AVRO_TYPE_ENUM] !== undefined
}

export function isFixedSchema (schema: Schema): boolean {
  return schema.type === 'bytes' && schema.name !== undefined && schema.parameters?.[N.CONNECT_AVRO_FIXED_SIZE_PROP] !== undefined
}

function addProp (props: AvroProps, key: string, value: JsonNode): void {
  // Java's JsonProperties.addProp keeps the first value of a property.
  if (!props.has(key)) props.set(key, value)
}

/**
 * Java's Field constructor check (Schema.isValidDefault, Avro 1.12): a default that fails it is dropped with a warning.
 */
export function isValidDefault (schema: AvroSchema, value: JsonNode | undefined): boolean {
  if (value === undefined) return false
  switch (schema.type) {
    case 'string': case 'bytes': case 'enum': case 'fixed': return typeof value === 'string'
    case 'int': case 'long': {
      if (!(value instanceof JsonNumber) || !value.integral) return false
      const n = BigInt(value.text)
      return schema.type === 'int' ? n >= -(2n ** 31n) && n < 2n ** 31n : n >= -(2n ** 63n) && n < 2n ** 63n
    }
    case 'float': case 'double': return value instanceof JsonNumber || value === 'NaN' || value === 'Infinity' || value === '-Infinity'
    case 'boolean': return typeof value === 'boolean'
    case 'null': return value === null
    case 'array': return Array.isArray(value) && value.every(v => isValidDefault(schema.items, v))
    case 'map': return value instanceof Map && [...value.values()].every(v => isValidDefault(schema.values, v))
    // Avro 1.12 (Confluent Platform 8) accepts a union default that fits any member; 1.11 only the first.
    case 'union': return schema.types.some(t => isValidDefault(t, value))
    case 'record':
      return value instanceof Map && schema.fields.every(f => isValidDefault(f.schema, value.has(f.name) ? value.get(f.name) : f.defaultValue))
  }
}

interface FromConnectContext {
  /** Required schemas already converted (by Connect equality), so a reused type is defined once. */
  readonly schemaMap: Array<[Schema, AvroSchema]>
  readonly cycleReferences: Map<string, AvroRecord>
  readonly seenNamedTypes: Set<string>
  nameIndex: number
}

export class ConnectToAvro {
  readonly #o: AvroDataOptions
  readonly #anything: () => AvroSchema

  constructor (options: AvroDataOptions, anything: () => AvroSchema) {
    this.#o = options
    this.#anything = anything
  }

  /** AvroData.fromConnectSchema; a null schema (schemaless data) gives Confluent's Anything record. */
  convert (schema: Schema | null): AvroSchema {
    if (schema === null) return this.#anything()
    return this.#convert(schema, { schemaMap: [], cycleReferences: new Map(), seenNamedTypes: new Set(), nameIndex: 0 }, false)
  }

  #names (ctx: FromConnectContext, name: string | undefined): { namespace: string | null, name: string } {
    if (name !== undefined) {
      const [space, short] = N.splitName(name, this.#o.scrubInvalidNames)
      return { namespace: space, name: short }
    }
    ctx.nameIndex++
    return { namespace: N.NAMESPACE, name: N.DEFAULT_SCHEMA_NAME + (ctx.nameIndex > 1 ? String(ctx.nameIndex) : '') }
  }

  /** A record/enum/fixed name as Avro validates it (Java's Schema.Name): an invalid one is an error unless scrubbed. */
  #named (names: { namespace: string | null, name: string }): { namespace: string | null, name: string } {
    return splitFullName(names.namespace === null ? names.name : `${names.namespace}.${names.name}`, null)
  }

  #withCycle (schema: Schema, ctx: FromConnectContext, ignoreOptional: boolean): AvroSchema {
    const cycled = schema.name !== undefined ? ctx.cycleReferences.get(schema.name) : undefined
    if (cycled !== undefined) return ignoreOptional ? cycled : this.#maybeOptional(schema, cycled)
    return this.#convert(schema, ctx, ignoreOptional)
  }

  #convert (schema: Schema, ctx: FromConnectContext, ignoreOptional: boolean): AvroSchema {
    if (!isUnionSchema(schema) && !schema.optional) {
      const cached = ctx.schemaMap.find(([s]) => schemaEquals(s, schema))
      if (cached) return cached[1]
    }
    const o = this.#o
    let connectType: string | null = null
    let base: AvroSchema
    switch (schema.type) {
      case 'int8': connectType = 'int8'; base = primitive('int'); break
      case 'int16': connectType = 'int16'; base = primitive('int'); break
      case 'int32': base = primitive('int'); break
      case 'int64': base = primitive('long'); break
      case 'float32': base = primitive('float'); break
      case 'float64': base = primitive('double'); break
      case 'boolean': base = primitive('boolean'); break
      case 'string':
        if (o.enhancedSchemaSupport && isEnumSchema(schema)) {
          const params = schema.parameters!
          const prefix = `${N.AVRO_TYPE_ENUM}.`
          const symbols = Object.keys(params).filter(k => k.startsWith(prefix)).map(k => validateName(k.slice(prefix.length)))
          const short = this.#names(ctx, schema.name).name
          const { namespace, name } = splitFullName(params[N.AVRO_TYPE_ENUM]!, null)
          base = {
            type: 'enum', name, namespace, symbols, aliases: [], props: new Map(),
            doc: params[N.AVRO_ENUM_DOC_PREFIX_PROP + short] ?? null,
            enumDefault: params[N.AVRO_ENUM_DEFAULT_PREFIX_PROP + short] ?? null
          }
        } else {
          base = primitive('string')
        }
        break
      case 'bytes': {
        if (isFixedSchema(schema)) {
          const size = Number.parseInt(schema.parameters![N.CONNECT_AVRO_FIXED_SIZE_PROP]!, 10)
          base = { type: 'fixed', ...this.#named(this.#names(ctx, schema.name)), size, doc: null, aliases: [], props: new Map() }
        } else {
          base = primitive('bytes')
        }
        if (schema.name === DECIMAL_LOGICAL_NAME) {
          const scale = Decimal.scale(schema)
          const precisionText = schema.parameters?.[N.CONNECT_AVRO_DECIMAL_PRECISION_PROP]
          const precision = precisionText === undefined ? N.CONNECT_AVRO_DECIMAL_PRECISION_DEFAULT : Number.parseInt(precisionText, 10)
          base.props.set(N.AVRO_LOGICAL_DECIMAL_SCALE_PROP, intNode(scale))
          base.props.set(N.AVRO_LOGICAL_DECIMAL_PRECISION_PROP, intNode(precision))
        }
        break
      }
      case 'array':
        base = { type: 'array', items: this.#withCycle(schema.valueSchema!, ctx, false), props: new Map() }
        break
      case 'map': {
        const key = schema.keySchema!
        if (key.type === 'string' && (!key.optional || o.allowOptionalMapKeys)) {
          base = { type: 'map', values: this.#withCycle(schema.valueSchema!, ctx, false), props: new Map() }
        } else {
          const entryNames = schema.name === undefined ? { namespace: N.NAMESPACE, name: N.MAP_ENTRY_TYPE_NAME } : this.#named(this.#names(ctx, schema.name))
          const entry: AvroRecord = { type: 'record', ...entryNames, doc: null, aliases: [], props: new Map(), fields: [] }
          if (schema.name !== undefined) entry.props.set(N.CONNECT_INTERNAL_TYPE_NAME, N.MAP_ENTRY_TYPE_NAME)
          this.#addField(entry.fields, N.KEY_FIELD, key, null, ctx)
          this.#addField(entry.fields, N.VALUE_FIELD, schema.valueSchema!, null, ctx)
          base = { type: 'array', items: entry, props: new Map() }
        }
        break
      }
      case 'struct':
        if (isUnionSchema(schema)) {
          const types: AvroSchema[] = schema.optional ? [primitive('null')] : []
          for (const f of schema.fields ?? []) types.push(this.#withCycle(nonOptional(f.schema), ctx, true))
          base = { type: 'union', types }
        } else if (schema.optional) {
          base = { type: 'union', types: [primitive('null'), this.#withCycle(nonOptional(schema), ctx, false)] }
        } else {
          const names = this.#named(this.#names(ctx, schema.name))
          const record: AvroRecord = { type: 'record', ...names, doc: schema.parameters?.[N.AVRO_RECORD_DOC_PROP] ?? null, aliases: [], props: new Map(), fields: [] }
          if (schema.name !== undefined) ctx.cycleReferences.set(schema.name, record)
          for (const f of schema.fields ?? []) {
            const fieldName = validateName(N.scrubName(f.name, o.scrubInvalidNames))
            this.#addField(record.fields, fieldName, f.schema, schema.parameters?.[N.AVRO_FIELD_DOC_PREFIX_PROP + f.name] ?? null, ctx)
          }
          base = record
        }
        break
    }

    let final = base
    if (base.type !== 'union') {
      const props = base.props
      if (o.connectMetaData) {
        if (schema.doc !== undefined) addProp(props, N.CONNECT_DOC_PROP, schema.doc)
        if (schema.version !== undefined) addProp(props, N.CONNECT_VERSION_PROP, intNode(schema.version))
        if (schema.parameters !== undefined) {
          const params = new Map<string, JsonNode>()
          for (const [k, v] of Object.entries(schema.parameters)) if (k !== N.AVRO_FIELD_DEFAULT_FLAG_PROP) params.set(k, v)
          if (params.size > 0) addProp(props, N.CONNECT_PARAMETERS_PROP, params)
        }
        if (schema.defaultValue !== undefined && schema.defaultValue !== null && schema.parameters?.[N.AVRO_FIELD_DEFAULT_FLAG_PROP] === undefined) {
          addProp(props, N.CONNECT_DEFAULT_VALUE_PROP, this.defaultValue(schema, schema.defaultValue))
        }
        if (schema.name !== undefined) addProp(props, N.CONNECT_NAME_PROP, schema.name)
        if (connectType !== null) addProp(props, N.CONNECT_TYPE_PROP, connectType)
      }
      switch (schema.name) {
        case DECIMAL_LOGICAL_NAME:
          // After Confluent's own properties, whether Avro accepts the decimal (LogicalTypes.decimal().addToSchema) or
          // refuses it (negative scale, scale above precision) and AvroData writes the legacy property: same text.
          addProp(props, N.AVRO_LOGICAL_TYPE_PROP, N.AVRO_LOGICAL_DECIMAL)
          break
        case TIME_LOGICAL_NAME: addProp(props, N.AVRO_LOGICAL_TYPE_PROP, N.AVRO_LOGICAL_TIME_MILLIS); break
        case TIMESTAMP_LOGICAL_NAME: addProp(props, N.AVRO_LOGICAL_TYPE_PROP, N.AVRO_LOGICAL_TIMESTAMP_MILLIS); break
        case DATE_LOGICAL_NAME: addProp(props, N.AVRO_LOGICAL_TYPE_PROP, N.AVRO_LOGICAL_DATE); break
        default: break
      }
      for (const [k, v] of Object.entries(schema.parameters ?? {})) if (k.startsWith(N.AVRO_PROP)) addProp(props, k, v)
      if (!ignoreOptional) final = this.#maybeOptional(schema, base)
    }
    if (!schema.optional) ctx.schemaMap.push([schema, final])
    return final
  }

  #maybeOptional (schema: Schema, base: AvroSchema): AvroSchema {
    if (!schema.optional) return base
    const hasDefault = schema.defaultValue !== undefined && schema.defaultValue !== null
    return { type: 'union', types: hasDefault ? [base, primitive('null')] : [primitive('null'), base] }
  }

  #addField (fields: AvroField[], fieldName: string, fieldSchema: Schema, fieldDoc: string | null, ctx: FromConnectContext): void {
    let defaultValue: JsonNode | undefined
    if (fieldSchema.defaultValue !== undefined && fieldSchema.defaultValue !== null) defaultValue = this.defaultValue(fieldSchema, fieldSchema.defaultValue)
    else if (fieldSchema.optional) defaultValue = null
    const scrubbedName = N.scrubFullName(fieldSchema.name, this.#o.scrubInvalidNames)
    const alreadySeen = scrubbedName !== undefined && ctx.seenNamedTypes.has(scrubbedName)
    if (scrubbedName !== undefined) ctx.seenNamedTypes.add(scrubbedName)
    const schema = this.#convert(fieldSchema, ctx, false)
    // Java's Field constructor refuses a default that does not fit; AvroData then keeps the field without one.
    if (defaultValue !== undefined && !isValidDefault(schema, defaultValue)) defaultValue = undefined
    const props: AvroProps = new Map()
    const params = Object.entries(fieldSchema.parameters ?? {}).filter(([k]) => k !== N.AVRO_FIELD_DEFAULT_FLAG_PROP)
    if (this.#o.connectMetaData && alreadySeen && params.length > 0 && isNamedAvro(schema)) props.set(N.CONNECT_PARAMETERS_PROP, new Map(params))
    fields.push({ name: fieldName, schema, doc: fieldDoc, defaultValue, order: 'ascending', aliases: [], props })
  }

  /** A Connect default as JSON (defaultValueFromConnect): logical types in their Avro form, bytes as ISO-8859-1 text. */
  defaultValue (schema: Schema, value: unknown): JsonNode {
    if (value === null || value === undefined) return null
    let v = value
    switch (schema.name) {
      case DECIMAL_LOGICAL_NAME: v = Decimal.fromLogical(schema, value as BigDecimal); break
      case DATE_LOGICAL_NAME: v = ConnectDate.fromLogical(schema, value as Date); break
      case TIME_LOGICAL_NAME: v = ConnectTime.fromLogical(schema, value as Date); break
      case TIMESTAMP_LOGICAL_NAME: v = ConnectTimestamp.fromLogical(schema, value as Date); break
      default: break
    }
    switch (schema.type) {
      case 'int8': case 'int16': case 'int32': case 'int64': return intNode(v as number | bigint)
      case 'float32': return floatNode(v as number)
      case 'float64': return doubleNode(v as number)
      case 'boolean': return v as boolean
      case 'string': return v as string
      case 'bytes': return Buffer.from(v as Uint8Array).toString('latin1')
      case 'array': return (v as unknown[]).map(e => this.defaultValue(schema.valueSchema!, e))
      case 'map': {
        const entries: Array<[unknown, unknown]> = v instanceof Map ? [...v] : Object.entries(v as object)
        const key = schema.keySchema!
        if (key.type === 'string' && (!key.optional || this.#o.allowOptionalMapKeys)) {
          return new Map(entries.map(([k, e]) => [k as string, this.defaultValue(schema.valueSchema!, e)]))
        }
        return entries.map(([k, e]) => [this.defaultValue(key, k), this.defaultValue(schema.valueSchema!, e)])
      }
      case 'struct': {
        const struct = v as Struct
        const node = new Map<string, JsonNode>()
        for (const f of schema.fields ?? []) {
          const fieldDefault = this.defaultValue(f.schema, struct.get(f.name))
          if (isUnionSchema(schema)) return fieldDefault
          node.set(N.scrubName(f.name, this.#o.scrubInvalidNames), fieldDefault)
        }
        return node
      }
    }
  }
}

function isNamedAvro (s: AvroSchema): boolean {
  if (s.type === 'record' || s.type === 'enum' || s.type === 'fixed') return true
  return s.type === 'union' && s.types.some(t => t.type === 'record' || t.type === 'enum' || t.type === 'fixed')
}
