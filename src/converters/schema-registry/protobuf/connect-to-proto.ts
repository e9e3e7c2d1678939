/**
 * A Connect value to a Protobuf message of the schema fromConnectSchema made for it, as Confluent's
 * ProtobufData.fromConnectData converts it: nulls and empty arrays are left unset; logical values become their
 * messages; optional values are wrapped when the field's type is a wrapper (wrapper.for.nullables); Confluent's enum
 * encoding becomes enum numbers; a map becomes its entry messages; a union struct sets the oneof member of its first
 * non-null field.
 */
import {
  BigDecimal, DataError, DATE_LOGICAL_NAME, DECIMAL_LOGICAL_NAME, Struct, TIME_LOGICAL_NAME, TIMESTAMP_LOGICAL_NAME,
  javaClassName, schemaEquals, type Schema
} from '../../../api/index.ts'
import { hasWrapperMarker, isUnionSchema } from './from-connect-schema.ts'
import { knownMessage } from './known-messages.ts'
import { ProtoMessage } from './message-codec.ts'
import type { FieldInfo, MessageInfo } from './proto-descriptor.ts'
import type { ProtobufDataOptions } from './protobuf-data-config.ts'
import { DATE_TYPE, DECIMAL_TYPE, GENERALIZED_TYPE_ENUM, KEY_FIELD, PROTOBUF_TYPE_ENUM, PROTOBUF_TYPE_PROP, TIME_TYPE, TIMESTAMP_TYPE, VALUE_FIELD, scrubName } from './protobuf-names.ts'
import { dateToFields, decimalToFields, timeToFields, timestampToFields } from './protobuf-logical.ts'

/** A oneof member chosen by a union struct: the member's name and its value. */
class UnionChoice {
  readonly name: string
  readonly value: unknown
  constructor (name: string, value: unknown) {
    this.name = name
    this.value = value
  }
}

const invalidType = (schema: Schema, value: unknown): DataError =>
  new DataError(`Invalid type for ${schema.type.toUpperCase()}: class ${javaClassName(value)}`)

/** The message a logical value becomes (its own type: Confluent writes it even where the schema expects another). */
function logical (schema: Schema, value: unknown): ProtoMessage | undefined {
  const set = (type: string, fields: Record<string, unknown>): ProtoMessage => {
    const m = new ProtoMessage(knownMessage(type))
    for (const [k, v] of Object.entries(fields)) m.set(m.info.byName.get(k)!, v)
    return m
  }
  switch (schema.name) {
    case DECIMAL_LOGICAL_NAME:
      if (!(value instanceof BigDecimal)) throw new DataError(`Invalid type for Decimal, expected BigDecimal but was class ${javaClassName(value)}`)
      return set(DECIMAL_TYPE, decimalToFields(value))
    case DATE_LOGICAL_NAME:
      if (!(value instanceof Date)) throw new DataError(`Invalid type for Date, expected Date but was class ${javaClassName(value)}`)
      return set(DATE_TYPE, { ...dateToFields(value) })
    case TIME_LOGICAL_NAME:
      if (!(value instanceof Date)) throw new DataError(`Invalid type for Time, expected Date but was class ${javaClassName(value)}`)
      return set(TIME_TYPE, { ...timeToFields(value) })
    case TIMESTAMP_LOGICAL_NAME:
      if (!(value instanceof Date)) throw new DataError(`Invalid type for Timestamp, expected Date but was class ${javaClassName(value)}`)
      return set(TIMESTAMP_TYPE, timestampToFields(value))
    default:
      return undefined
  }
}

function toNumber (schema: Schema, value: unknown): number {
  if (typeof value === 'number') return value
  if (typeof value === 'bigint') return Number(BigInt.asIntN(64, value))
  throw invalidType(schema, value)
}

export class ConnectToProto {
  readonly #options: ProtobufDataOptions
  /** The root is a wrapper message (a primitive Connect schema): its value is always wrapped. */
  readonly #rootWrapper: boolean

  constructor (options: ProtobufDataOptions, rootWrapper: boolean) {
    this.#options = options
    this.#rootWrapper = rootWrapper
  }

  /** The root value: a message of `root` (a struct's, or the wrapper of a primitive). */
  root (root: MessageInfo, schema: Schema, value: unknown): ProtoMessage {
    if (value === null || value === undefined) throw new DataError('A null value has no Protobuf message (the converter writes null)')
    const converted = this.#convert(root, null, schema, value, false)
    if (!(converted instanceof ProtoMessage)) throw new DataError(`Unsupported object of class ${javaClassName(converted)}`)
    return converted
  }

  /**
   * `ctx` is the message the value is converted for (a struct's type, a map's entry type, the root wrapper) or, for a
   * field's value, the field.
   */
  #convert (message: MessageInfo | null, field: FieldInfo | null, schema: Schema, value: unknown, oneofMember: boolean): unknown {
    if (value === null || value === undefined) return null
    const asLogical = logical(schema, value)
    if (asLogical !== undefined) return asLogical
    const wrap = this.#rootWrapper ||
      (this.#options.wrapperForNullables && schema.optional && (!oneofMember || hasWrapperMarker(schema)))
    const params = schema.parameters ?? {}
    switch (schema.type) {
      case 'int8': case 'int16': case 'int32': {
        const n = toNumber(schema, value) | 0
        const enumType = params[PROTOBUF_TYPE_ENUM]
        if (enumType !== undefined) return this.#enumNumber(field, schema, n)
        return wrap ? this.#wrapped(field, 'google.protobuf.Int32Value', n) : n
      }
      case 'int64': {
        const type = params[PROTOBUF_TYPE_PROP]
        if (type === 'uint32' || type === 'fixed32') {
          const n = Number(BigInt.asIntN(32, BigInt(toNumber(schema, value))))
          return wrap ? this.#wrapped(field, 'google.protobuf.Int32Value', n) : n
        }
        const n = typeof value === 'bigint' ? BigInt.asIntN(64, value) : BigInt(toNumber(schema, value))
        return wrap ? this.#wrapped(field, 'google.protobuf.Int64Value', n) : n
      }
      case 'float32': {
        const n = Math.fround(toNumber(schema, value))
        return wrap ? this.#wrapped(field, 'google.protobuf.FloatValue', n) : n
      }
      case 'float64': {
        const n = toNumber(schema, value)
        return wrap ? this.#wrapped(field, 'google.protobuf.DoubleValue', n) : n
      }
      case 'boolean':
        if (typeof value !== 'boolean') throw invalidType(schema, value)
        return wrap ? this.#wrapped(field, 'google.protobuf.BoolValue', value) : value
      case 'string': {
        if (typeof value !== 'string') throw invalidType(schema, value)
        if (params[GENERALIZED_TYPE_ENUM] !== undefined || params[PROTOBUF_TYPE_ENUM] !== undefined) {
          const param = this.#options.generalizedSumTypeSupport ? GENERALIZED_TYPE_ENUM : PROTOBUF_TYPE_ENUM
          const tag = params[`${param}.${value}`]
          if (tag !== undefined) return this.#enumNumber(field, schema, Number(tag))
        }
        if (field?.kind === 'enum') throw new DataError(`${value} is not a symbol of enum ${field.enumType!.fullName}`)
        return wrap ? this.#wrapped(field, 'google.protobuf.StringValue', value) : value
      }
      case 'bytes': {
        if (!(value instanceof Uint8Array)) throw invalidType(schema, value)
        const bytes = Buffer.from(value)
        return wrap ? this.#wrapped(field, 'google.protobuf.BytesValue', bytes) : bytes
      }
      case 'array': {
        if (!Array.isArray(value)) throw invalidType(schema, value)
        if (value.length === 0) return null
        return value.map(v => {
          const converted = this.#convert(message, field, schema.valueSchema!, v, false)
          if (converted === null) throw new DataError(`A null element of array ${field?.name ?? ''} cannot be written to a repeated Protobuf field`)
          return converted
        })
      }
      case 'map': return this.#map(field, schema, value)
      case 'struct': return this.#struct(message, field, schema, value)
    }
  }

  #enumNumber (field: FieldInfo | null, schema: Schema, n: number): number {
    const e = field?.enumType
    if (e === undefined || e === null) throw new DataError(`Schema ${schema.name ?? ''} is an enum but its field is not`)
    if (!e.byNumber.has(n)) throw new DataError(`${n} is not a number of enum ${e.fullName}`)
    return n
  }

  /** A wrapper message around `value`: the field's own wrapper type, or the one Confluent builds at the root. */
  #wrapped (field: FieldInfo | null, type: string, value: unknown): ProtoMessage {
    const info = field?.kind === 'message' ? field.messageType! : knownMessage(type)
    const inner = info.byName.get(VALUE_FIELD)
    if (inner === undefined) throw new DataError(`Protobuf message ${info.fullName} is not a wrapper type`)
    return new ProtoMessage(info).set(inner, value)
  }

  #map (field: FieldInfo | null, schema: Schema, value: unknown): ProtoMessage[] {
    const entries = value instanceof Map ? [...value] : typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.entries(value) : null
    if (entries === null) throw invalidType(schema, value)
    const entry = field?.kind === 'message' ? field.messageType : null
    const keyField = entry?.byName.get(KEY_FIELD)
    const valueField = entry?.byName.get(VALUE_FIELD)
    if (entry === null || entry === undefined || keyField === undefined || valueField === undefined) {
      throw new DataError(`Invalid message name: the map of field ${field?.name ?? ''} has no entry message`)
    }
    return entries.map(([k, v]) => {
      const m = new ProtoMessage(entry)
      const key = this.#convert(entry, keyField, schema.keySchema!, k, false)
      if (key !== null) m.set(keyField, key)
      const val = this.#convert(entry, valueField, schema.valueSchema!, v, false)
      if (val !== null) m.set(valueField, val)
      return m
    })
  }

  #struct (message: MessageInfo | null, field: FieldInfo | null, schema: Schema, value: unknown): unknown {
    if (!(value instanceof Struct)) throw invalidType(schema, value)
    if (!schemaEquals(value.schema, schema)) throw new DataError('Mismatching struct schema')
    const get = (name: string): unknown => this.#options.ignoreDefaultForNullables ? value.getWithoutDefault(name) : value.get(name)
    const scrub = (name: string): string => this.#options.scrubInvalidNames ? scrubName(name) : name
    if (isUnionSchema(schema)) {
      // The oneof's members live in the message holding the union.
      for (const f of schema.fields ?? []) {
        const v = get(f.name)
        if (v === null) continue
        const name = scrub(f.name)
        const member = message?.byName.get(name) ?? null
        return new UnionChoice(name, this.#convert(message, member, f.schema, v, true))
      }
      throw new DataError('Cannot find non-null field')
    }
    const info = field === null ? message : field.kind === 'message' ? field.messageType : null
    if (info === null) throw new DataError(`Invalid message name: struct ${schema.name ?? ''} has no message type`)
    const out = new ProtoMessage(info)
    for (const f of schema.fields ?? []) {
      const name = scrub(f.name)
      const target = info.byName.get(name) ?? null
      const converted = this.#convert(info, target, f.schema, get(f.name), false)
      if (converted === null) continue
      const [fieldInfo, v] = converted instanceof UnionChoice ? [info.byName.get(converted.name), converted.value] : [target, converted]
      if (fieldInfo === undefined || fieldInfo === null) throw new DataError(`Cannot find field with name ${name}`)
      if (v !== null) out.set(fieldInfo, v)
    }
    return out
  }
}
