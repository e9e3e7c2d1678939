/**
 * A Protobuf message type to the Connect schema a reader gets, as Confluent's ProtobufData.toConnectSchema builds it:
 * a struct named after the message (its full name with enhanced.protobuf.schema.support); real oneofs first, as
 * optional structs named io.confluent.connect.protobuf.Union.<oneof> in fields <oneof>_<index> (or flattened), then
 * the other fields in declaration order, each optional (unless wrapper.for.nullables or optional.for.nullables say
 * otherwise) and tagged with its field number (io.confluent.connect.protobuf.Tag); int32-family fields int32 (int8 or
 * int16 when connect.type metadata says so), unsigned and 64-bit ones int64, each non-default wire type named in an
 * io.confluent.connect.protobuf.Type parameter; enums as strings (int32 with int.for.enums) carrying their symbols as
 * parameters; repeated fields as optional arrays of optional elements; XEntry messages as maps; the logical messages as
 * Decimal, Date, Time and Timestamp; a wrapper message at the root as its primitive (wrapper.for.raw.primitives).
 */
import { ConnectDate, ConnectTime, ConnectTimestamp, DataError, Decimal, SchemaBuilder, type Schema } from '../../../api/index.ts'
import { isMapField, type FieldInfo, type MessageInfo, type OneofInfo } from './proto-descriptor.ts'
import type { ProtobufDataOptions } from './protobuf-data-config.ts'
import { parseJavaInt } from './from-connect-schema.ts'
import {
  CONNECT_PRECISION_PROP, CONNECT_TYPE_PROP, DATE_TYPE, DECIMAL_TYPE, GENERALIZED_TYPE_ENUM, GENERALIZED_TYPE_UNION, PROTOBUF_PRECISION_PROP,
  PROTOBUF_SCALE_PROP, PROTOBUF_TYPE_ENUM, PROTOBUF_TYPE_PROP, PROTOBUF_TYPE_TAG, PROTOBUF_TYPE_UNION_PREFIX, PROTOBUF_TYPE_WRAPPER, TIME_TYPE,
  TIMESTAMP_TYPE, WRAPPER_TYPES, toMapField
} from './protobuf-names.ts'

export function toConnectSchema (message: MessageInfo, options: ProtobufDataOptions, version?: number): Schema {
  let builder: SchemaBuilder | null = null
  if (options.wrapperForRawPrimitives) builder = unwrapped(message)
  builder ??= new ToConnect(options).struct(message)
  if (version !== undefined) builder.version(version)
  return builder.build()
}

function unwrapped (message: MessageInfo): SchemaBuilder | null {
  const type = WRAPPER_TYPES.get(message.fullName)
  return type === undefined ? null : new SchemaBuilder(type)
}

/** The name of a oneof's Connect field: with its index among the message's oneofs unless generate.index.for.unions=false. */
export function unionFieldName (message: MessageInfo, oneof: OneofInfo, options: ProtobufDataOptions): string {
  return options.generateIndexForUnions ? `${oneof.name}_${message.realOneofs.indexOf(oneof)}` : oneof.name
}

function intOrNull (text: string | undefined): number | null {
  if (text === undefined) return null
  try {
    return parseJavaInt(text, 'number')
  } catch {
    return null
  }
}

class ToConnect {
  readonly #options: ProtobufDataOptions
  /** Messages being built, to refuse a recursive type (a Connect schema cannot refer to itself). */
  readonly #building = new Set<string>()

  constructor (options: ProtobufDataOptions) {
    this.#options = options
  }

  struct (message: MessageInfo): SchemaBuilder {
    if (this.#building.has(message.fullName)) {
      throw new DataError(`Protobuf message ${message.fullName} refers to itself: recursive types have no Connect schema here`)
    }
    this.#building.add(message.fullName)
    const builder = SchemaBuilder.struct().name(this.#options.enhancedSchemaSupport ? message.fullName : message.name)
    for (const oneof of message.realOneofs) {
      if (this.#options.flattenUnions) {
        for (const member of oneof.fields) builder.field(member.name, this.#field(member, true))
      } else {
        builder.field(unionFieldName(message, oneof, this.#options), this.#union(oneof))
      }
    }
    for (const field of message.fields) if (field.oneof === null) builder.field(field.name, this.#field(field, false))
    this.#building.delete(message.fullName)
    return builder
  }

  #union (oneof: OneofInfo): Schema {
    const builder = SchemaBuilder.struct()
    if (this.#options.generalizedSumTypeSupport) {
      builder.name(oneof.name).parameter(GENERALIZED_TYPE_UNION, oneof.name)
    } else {
      builder.name(PROTOBUF_TYPE_UNION_PREFIX + (this.#options.enhancedSchemaSupport ? oneof.fullName : oneof.name))
    }
    for (const member of oneof.fields) builder.field(member.name, this.#field(member, true))
    return builder.optional().build()
  }

  #field (field: FieldInfo, oneofMember: boolean): Schema {
    let builder = this.#base(field)
    if (field.repeated && builder.build().type !== 'map') builder = SchemaBuilder.array(builder.optional().build()).optional()
    if (oneofMember) {
      // A oneof member is nullable by nature; a wrapper-typed one is marked so that writing wraps it again.
      builder.optional()
      if (this.#options.wrapperForNullables && field.kind === 'message' && WRAPPER_TYPES.has(field.messageType!.fullName)) {
        builder.parameter(PROTOBUF_TYPE_WRAPPER, 'true')
      }
    } else if (this.#options.optionalForNullables) {
      if (field.optionalKeyword) builder.optional()
    } else if (!this.#options.wrapperForNullables) {
      builder.optional()
    }
    return builder.parameter(PROTOBUF_TYPE_TAG, String(field.number)).build()
  }

  #base (field: FieldInfo): SchemaBuilder {
    switch (field.kind) {
      case 'int32': case 'sint32': case 'sfixed32': {
        const connectType = field.meta.get(CONNECT_TYPE_PROP)
        if (connectType === 'int8') return SchemaBuilder.int8()
        if (connectType === 'int16') return SchemaBuilder.int16()
        const builder = SchemaBuilder.int32()
        return field.kind === 'int32' ? builder : builder.parameter(PROTOBUF_TYPE_PROP, field.kind)
      }
      case 'uint32': case 'fixed32': case 'int64': case 'uint64': case 'sint64': case 'fixed64': case 'sfixed64': {
        const builder = SchemaBuilder.int64()
        return field.kind === 'int64' ? builder : builder.parameter(PROTOBUF_TYPE_PROP, field.kind)
      }
      case 'float': return SchemaBuilder.float32()
      case 'double': return SchemaBuilder.float64()
      case 'bool': return SchemaBuilder.bool()
      case 'string': return SchemaBuilder.string()
      case 'bytes': return SchemaBuilder.bytes()
      case 'enum': {
        const e = field.enumType!
        const builder = (this.#options.intForEnums ? SchemaBuilder.int32() : SchemaBuilder.string())
          .name(this.#options.enhancedSchemaSupport ? e.fullName : e.name)
        const param = this.#options.generalizedSumTypeSupport ? GENERALIZED_TYPE_ENUM : PROTOBUF_TYPE_ENUM
        builder.parameter(param, e.name)
        for (const v of e.values) builder.parameter(`${param}.${v.name}`, String(v.number))
        return builder.optional()
      }
      case 'message': return this.#message(field).optional()
    }
  }

  #message (field: FieldInfo): SchemaBuilder {
    const message = field.messageType!
    switch (message.fullName) {
      case DECIMAL_TYPE: {
        const precision = intOrNull(field.meta.get(PROTOBUF_PRECISION_PROP))
        const builder = Decimal.builder(intOrNull(field.meta.get(PROTOBUF_SCALE_PROP)) ?? 0)
        return precision === null ? builder : builder.parameter(CONNECT_PRECISION_PROP, String(precision))
      }
      case DATE_TYPE: return ConnectDate.builder()
      case TIME_TYPE: return ConnectTime.builder()
      case TIMESTAMP_TYPE: return ConnectTimestamp.builder()
    }
    if (this.#options.wrapperForNullables) {
      const primitive = unwrapped(message)
      if (primitive !== null) return primitive
    }
    if (isMapField(field)) {
      const [key, value] = message.fields as [FieldInfo, FieldInfo]
      return SchemaBuilder.map(this.#field(key, false), this.#field(value, false))
        .name(toMapField(this.#options.enhancedSchemaSupport ? message.fullName : message.name))
    }
    return this.struct(message)
  }
}
