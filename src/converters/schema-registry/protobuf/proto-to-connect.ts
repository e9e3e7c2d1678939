/**
 * A decoded Protobuf message to the Connect value of the schema toConnectSchema gives for its type, as Confluent's
 * ProtobufData.toConnectData converts it: a field absent from the bytes reads as its default when it is a scalar or
 * repeated field without presence, and stays null otherwise (messages, proto3 `optional`, proto2 optional with
 * optional.for.proto2) unless generate.struct.for.nulls asks for a default message; a set oneof member becomes its
 * union struct; enums read as their symbol (UNKNOWN_ENUM_VALUE_<Enum>_<n> for a number the enum lacks) or number.
 */
import {
  ConnectTimestamp, DataError, DATE_LOGICAL_NAME, DECIMAL_LOGICAL_NAME, Struct, TIME_LOGICAL_NAME, TIMESTAMP_LOGICAL_NAME, type Schema
} from '../../../api/index.ts'
import { ProtoMessage } from './message-codec.ts'
import type { FieldInfo, MessageInfo } from './proto-descriptor.ts'
import type { ProtobufDataOptions } from './protobuf-data-config.ts'
import { KEY_FIELD, VALUE_FIELD } from './protobuf-names.ts'
import { dateFromFields, decimalFromFields, timeFromFields, timestampFromFields } from './protobuf-logical.ts'
import { unionFieldName } from './to-connect-schema.ts'

/** A field of a message by name, with getField's default when unset (ProtoMessage.get). */
function fieldValue (m: ProtoMessage, name: string): unknown {
  const f = m.info.byName.get(name)
  return f === undefined ? undefined : m.get(f)
}

function asMessage (schema: Schema, value: unknown, what: string): ProtoMessage {
  if (!(value instanceof ProtoMessage)) throw new DataError(`Invalid type for ${what}, expected Message but was ${typeof value}`)
  return value
}

function logical (schema: Schema, value: unknown): unknown {
  switch (schema.name) {
    case DECIMAL_LOGICAL_NAME: {
      const m = asMessage(schema, value, 'Decimal')
      const precision = m.info.byName.get('precision')
      const set = precision !== undefined && m.has(precision) && m.get(precision) !== 0
      return decimalFromFields((fieldValue(m, 'value') as Uint8Array | undefined) ?? Buffer.alloc(0),
        set ? Number(m.get(precision)) : null, Number(fieldValue(m, 'scale') ?? 0))
    }
    case DATE_LOGICAL_NAME: {
      const m = asMessage(schema, value, 'Date')
      return dateFromFields({ year: Number(fieldValue(m, 'year') ?? 0), month: Number(fieldValue(m, 'month') ?? 0), day: Number(fieldValue(m, 'day') ?? 0) })
    }
    case TIME_LOGICAL_NAME: {
      const m = asMessage(schema, value, 'Time')
      const n = (name: string): number => Number(fieldValue(m, name) ?? 0)
      return timeFromFields({ hours: n('hours'), minutes: n('minutes'), seconds: n('seconds'), nanos: n('nanos') })
    }
    case TIMESTAMP_LOGICAL_NAME: {
      const m = asMessage(schema, value, 'Timestamp')
      const seconds = fieldValue(m, 'seconds')
      const date = timestampFromFields(typeof seconds === 'bigint' ? seconds : BigInt(Number(seconds ?? 0)), Number(fieldValue(m, 'nanos') ?? 0))
      return ConnectTimestamp.toLogical(schema, date.getTime())
    }
    default:
      return undefined
  }
}

/** A wrapper message's value field (getWrappedValue). */
function unwrap (value: unknown): unknown {
  return value instanceof ProtoMessage ? fieldValue(value, VALUE_FIELD) : value
}

function int64Value (v: unknown): number | bigint {
  const n = typeof v === 'bigint' ? v : BigInt(v as number)
  return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n
}

export class ProtoToConnect {
  readonly #options: ProtobufDataOptions

  constructor (options: ProtobufDataOptions) {
    this.#options = options
  }

  /** `field` is the Protobuf field the value was read from (null at the root). */
  convert (schema: Schema, value: unknown, field: FieldInfo | null): unknown {
    if (value === null || value === undefined) return null
    const asLogical = logical(schema, value)
    if (asLogical !== undefined) return asLogical
    switch (schema.type) {
      case 'int8': return (Number(unwrap(value)) << 24) >> 24
      case 'int16': return (Number(unwrap(value)) << 16) >> 16
      case 'int32': return Number(unwrap(value)) | 0
      case 'int64': {
        const v = unwrap(value)
        // An unsigned 32-bit value (uint32, fixed32) reads as its unsigned number, as Integer.toUnsignedLong gives.
        return typeof v === 'bigint' ? int64Value(v) : (v as number) >>> 0
      }
      case 'float32': return Math.fround(Number(unwrap(value)))
      case 'float64': return Number(unwrap(value))
      case 'boolean': return unwrap(value) === true
      case 'string': {
        const v = unwrap(value)
        if (typeof v === 'string') return v
        const e = field?.enumType
        if (typeof v === 'number' && e !== null && e !== undefined) return e.byNumber.get(v) ?? `UNKNOWN_ENUM_VALUE_${e.name}_${v}`
        throw new DataError(`Invalid class for string type, expecting String or CharSequence but found ${typeof v}`)
      }
      case 'bytes': {
        const v = unwrap(value)
        if (!(v instanceof Uint8Array)) throw new DataError(`Invalid class for bytes type, expecting byte[], ByteBuffer, or ByteString but found ${typeof v}`)
        return Buffer.from(v)
      }
      case 'array': return (value as unknown[]).map(v => this.convert(schema.valueSchema!, v, field))
      case 'map': {
        const out = new Map<unknown, unknown>()
        for (const entry of value as ProtoMessage[]) {
          const keyField = entry.info.byName.get(KEY_FIELD)!
          const valueField = entry.info.byName.get(VALUE_FIELD)!
          out.set(this.convert(schema.keySchema!, entry.get(keyField), keyField), this.convert(schema.valueSchema!, entry.get(valueField), valueField))
        }
        return out
      }
      case 'struct': return this.#struct(schema, asMessage(schema, value, 'STRUCT'))
    }
  }

  #struct (schema: Schema, message: ProtoMessage): Struct {
    const struct = new Struct(schema)
    const info: MessageInfo = message.info
    for (const oneof of info.realOneofs) {
      const member = oneof.fields.find(f => message.has(f))
      if (member === undefined) continue
      if (this.#options.flattenUnions) {
        this.#setField(schema, message, struct, member)
        continue
      }
      const unionName = unionFieldName(info, oneof, this.#options)
      const unionSchema = schema.fields?.find(f => f.name === unionName)?.schema
      if (unionSchema === undefined) throw new DataError(`Struct ${schema.name ?? ''} has no field ${unionName} for oneof ${oneof.name}`)
      const union = new Struct(unionSchema)
      const memberSchema = unionSchema.fields?.find(f => f.name === member.name)?.schema
      if (memberSchema === undefined) throw new DataError(`Union ${unionName} has no field ${member.name}`)
      union.put(member.name, this.convert(memberSchema, message.get(member), member))
      struct.put(unionName, union)
    }
    for (const field of info.fields) if (field.oneof === null) this.#setField(schema, message, struct, field)
    return struct
  }

  /** ProtobufData.setStructField: which unset fields still get a value. */
  #setField (schema: Schema, message: ProtoMessage, struct: Struct, field: FieldInfo): void {
    const connectField = schema.fields?.find(f => f.name === field.name)
    if (connectField === undefined) throw new DataError(`Struct ${schema.name ?? ''} has no field ${field.name}`)
    const primitiveOrRepeated = field.kind !== 'message' || field.repeated
    const optional = field.proto3Optional || (this.#options.optionalForProto2 && field.optionalKeyword)
    if ((primitiveOrRepeated && !optional) || this.#options.generateStructForNulls || message.has(field)) {
      struct.put(field.name, this.convert(connectField.schema, message.get(field), field))
    }
  }
}
