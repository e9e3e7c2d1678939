/**
 * Connect schema to a .proto file, as Confluent's ProtobufData.fromConnectSchema builds it: proto3; a struct's
 * namespace as the package and its last name part as the message (ConnectDefault1, 2, ... for unnamed structs, maps,
 * enums, counted in the order Confluent meets them); fields numbered by position unless a Tag parameter says
 * otherwise; nested structs and map entries (maps become repeated XEntry messages with key = 1 and value = 2) as nested
 * messages; int8/int16 as int32 with connect.type metadata; Decimal, Date, Time and Timestamp as confluent.type.Decimal,
 * google.type.Date, google.type.TimeOfDay and google.protobuf.Timestamp; Confluent's enum and union encodings as enums
 * and oneofs; optional fields as wrapper types (wrapper.for.nullables) and/or `optional` (optional.for.nullables).
 * A primitive root schema becomes the matching wrapper message of google/protobuf/wrappers.proto; arrays and maps
 * cannot be roots. Defaults, docs, versions and other parameters are not carried (Confluent drops them too).
 */
import {
  DataError, DATE_LOGICAL_NAME, DECIMAL_LOGICAL_NAME, TIME_LOGICAL_NAME, TIMESTAMP_LOGICAL_NAME,
  javaHashMapOrder, javaStringHash, type Schema
} from '../../../api/index.ts'
import { TYPE_FILES } from './known-proto-files.ts'
import {
  CONNECT_PRECISION_PROP, CONNECT_SCALE_PROP, CONNECT_TYPE_PROP, DATE_TYPE, DECIMAL_TYPE, DEFAULT_SCHEMA_NAME, GENERALIZED_TYPE_ENUM,
  GENERALIZED_TYPE_UNION, KEY_FIELD, PROTOBUF_PRECISION_PROP, PROTOBUF_SCALE_PROP, PROTOBUF_TYPE_ENUM, PROTOBUF_TYPE_PROP, PROTOBUF_TYPE_TAG,
  PROTOBUF_TYPE_UNION, PROTOBUF_TYPE_UNION_PREFIX, PROTOBUF_TYPE_WRAPPER, TIME_TYPE, TIMESTAMP_TYPE, VALUE_FIELD, javaSplit, scrubName, toMapEntry
} from './protobuf-names.ts'
import type { ProtobufDataOptions } from './protobuf-data-config.ts'
import type { EnumDef, FieldDef, FileDef, MessageDef } from './proto-text.ts'

/** What a Connect schema becomes: a file with one message, or (for a primitive) a wrapper message of wrappers.proto. */
export type ConnectSchemaForm =
  | { readonly kind: 'file', readonly file: FileDef, readonly messageName: string }
  | { readonly kind: 'wrapper', readonly messageName: string }

const ROOT_WRAPPERS: Partial<Record<Schema['type'], string>> = {
  int8: 'Int32Value', int16: 'Int32Value', int32: 'Int32Value', int64: 'Int64Value', float32: 'FloatValue', float64: 'DoubleValue',
  boolean: 'BoolValue', string: 'StringValue', bytes: 'BytesValue'
}

const param = (schema: Schema, key: string): string | undefined => schema.parameters?.[key]

export function isUnionSchema (schema: Schema): boolean {
  return (schema.name !== undefined && schema.name.startsWith(PROTOBUF_TYPE_UNION)) || param(schema, GENERALIZED_TYPE_UNION) !== undefined
}

export function hasWrapperMarker (schema: Schema): boolean {
  return param(schema, PROTOBUF_TYPE_WRAPPER)?.toLowerCase() === 'true'
}

/** Java's Integer.parseInt, which the Tag and enum parameters go through. */
export function parseJavaInt (text: string, what: string): number {
  const n = /^[+-]?\d+$/.test(text) ? Number(text) : NaN
  if (!Number.isInteger(n) || n < -2147483648 || n > 2147483647) throw new DataError(`Invalid ${what}: For input string: "${text}"`)
  return n
}

export function fromConnectSchema (schema: Schema, options: ProtobufDataOptions): ConnectSchemaForm {
  const wrapper = ROOT_WRAPPERS[schema.type]
  if (wrapper !== undefined) return { kind: 'wrapper', messageName: `google.protobuf.${wrapper}` }
  if (schema.type !== 'struct') throw new DataError(`Unsupported root schema of type ${schema.type.toUpperCase()}`)
  return new FromConnect(options).file(schema)
}

class FromConnect {
  readonly #options: ProtobufDataOptions
  #defaultNameIndex = 0
  readonly #imports: string[] = []
  /** The struct types already nested in each message (FromConnectContext), to define a reused one once. */
  readonly #children = new Map<MessageDef, Set<string>>()

  constructor (options: ProtobufDataOptions) {
    this.#options = options
  }

  file (root: Schema): ConnectSchemaForm {
    const fullName = this.#nameOrDefault(root.name)
    const parts = javaSplit(fullName, '.').map(p => this.#scrub(p))
    if (parts.length === 0) throw new DataError(`Invalid schema name: ${fullName}`)
    const name = parts[parts.length - 1]!
    const pkg = parts.length > 1 ? parts.slice(0, -1).join('.') : null
    const message = this.#message(name, root)
    return { kind: 'file', file: { package: pkg, imports: this.#imports, messages: [message] }, messageName: pkg !== null ? `${pkg}.${name}` : name }
  }

  #scrub (name: string): string {
    return this.#options.scrubInvalidNames ? scrubName(name) : name
  }

  #nameOrDefault (name: string | undefined): string {
    return name !== undefined && name !== '' ? name : `${DEFAULT_SCHEMA_NAME}${++this.#defaultNameIndex}`
  }

  #unqualified (name: string | undefined): string {
    const full = this.#nameOrDefault(name)
    return this.#scrub(full.slice(full.lastIndexOf('.') + 1))
  }

  #message (name: string, struct: Schema): MessageDef {
    const message: MessageDef = { name, fields: [], oneofs: [], messages: [], enums: [] }
    let index = 1
    for (const field of struct.fields ?? []) {
      const tagParam = param(field.schema, PROTOBUF_TYPE_TAG)
      const tag = tagParam !== undefined ? parseJavaInt(tagParam, 'tag parameter') : index++
      const def = this.#field(message, field.schema, this.#scrub(field.name), tag, false)
      if (def === null) continue
      // A proto3 optional field (Confluent adds its synthetic oneof, which the text leaves out).
      message.fields.push(this.#label(field.schema) === 'optional' ? { ...def, label: 'optional' } : def)
    }
    return message
  }

  #label (schema: Schema): FieldDef['label'] {
    if (schema.type === 'array' || schema.type === 'map') return 'repeated'
    return this.#options.optionalForNullables && schema.optional ? 'optional' : null
  }

  /** The field a Connect field becomes, or null for a union (added to `message` as a oneof instead). */
  #field (message: MessageDef, fieldSchema: Schema, name: string, tag: number, oneofMember: boolean): FieldDef | null {
    const label = this.#label(fieldSchema)
    const schema = fieldSchema.type === 'array' ? fieldSchema.valueSchema! : fieldSchema
    const params: Array<[string, string]> = []
    const type = this.#dataType(schema, name, params, oneofMember)
    if (schema.type === 'struct') {
      if (isUnionSchema(schema)) {
        this.#oneof(message, schema, this.#unionName(schema))
        return null
      }
      const children = this.#children.get(message) ?? new Set()
      if (message.name !== type && !children.has(type)) {
        children.add(type)
        this.#children.set(message, children)
        message.messages.push(this.#message(type, schema))
      }
    } else if (schema.type === 'map') {
      message.messages.push(this.#mapEntry(type, schema))
    } else if (param(schema, GENERALIZED_TYPE_ENUM) !== undefined || param(schema, PROTOBUF_TYPE_ENUM) !== undefined) {
      const enumName = this.#unqualified(schema.name)
      if (!message.enums.some(e => e.name === enumName)) message.enums.push(this.#enum(schema))
    } else {
      const file = TYPE_FILES.get(type)
      if (file !== undefined && !this.#imports.includes(file)) this.#imports.push(file)
    }
    // params is a HashMap in Confluent: its iteration order is the order the metadata is written in.
    return { name, number: tag, type, label, params: javaHashMapOrder(params, javaStringHash) }
  }

  #unionName (schema: Schema): string {
    if (this.#options.generalizedSumTypeSupport) {
      const name = param(schema, GENERALIZED_TYPE_UNION)
      if (name === undefined) throw new DataError(`Union schema ${schema.name ?? ''} has no ${GENERALIZED_TYPE_UNION} parameter`)
      return name
    }
    if (schema.name === undefined || !schema.name.startsWith(PROTOBUF_TYPE_UNION_PREFIX)) {
      throw new DataError(`A union needs a name starting with ${PROTOBUF_TYPE_UNION_PREFIX} unless generalized.sum.type.support is true`)
    }
    return this.#unqualified(schema.name.slice(PROTOBUF_TYPE_UNION_PREFIX.length))
  }

  #oneof (message: MessageDef, union: Schema, name: string): void {
    const oneof = { name, fields: [] as FieldDef[] }
    message.oneofs.push(oneof)
    for (const member of union.fields ?? []) {
      const tagParam = param(member.schema, PROTOBUF_TYPE_TAG)
      // Confluent numbers a member without a Tag parameter 0, which no descriptor accepts (checked when validating).
      const tag = tagParam !== undefined ? parseJavaInt(tagParam, 'tag parameter') : 0
      const def = this.#field(message, member.schema, this.#scrub(member.name), tag, true)
      if (def !== null) oneof.fields.push(def)
    }
  }

  #mapEntry (name: string, map: Schema): MessageDef {
    const entry: MessageDef = { name, fields: [], oneofs: [], messages: [], enums: [] }
    for (const [fieldName, number, schema] of [[KEY_FIELD, 1, map.keySchema!], [VALUE_FIELD, 2, map.valueSchema!]] as const) {
      const def = this.#field(entry, schema, fieldName, number, false)
      if (def === null) throw new DataError(`A map ${fieldName} cannot be a union`)
      // An entry's fields are added as they are: "optional" is a label proto3 does not print there.
      entry.fields.push(def.label === 'optional' ? { ...def, label: null } : def)
    }
    return entry
  }

  #enum (schema: Schema): EnumDef {
    const name = this.#unqualified(schema.name)
    const prefix = `${this.#options.generalizedSumTypeSupport ? GENERALIZED_TYPE_ENUM : PROTOBUF_TYPE_ENUM}.`
    const values: Array<[string, number]> = []
    for (const [key, value] of Object.entries(schema.parameters ?? {})) {
      if (key.startsWith(prefix)) values.push([key.slice(prefix.length), parseJavaInt(value, 'enum tag')])
    }
    return { name, values }
  }

  #wrapOr (schema: Schema, oneofMember: boolean, wrapperType: string, type: string): string {
    const wrap = this.#options.wrapperForNullables && schema.optional && (!oneofMember || hasWrapperMarker(schema))
    return wrap ? `google.protobuf.${wrapperType}` : type
  }

  #dataType (schema: Schema, fieldName: string, params: Array<[string, string]>, oneofMember: boolean): string {
    switch (schema.name) {
      case DECIMAL_LOGICAL_NAME: {
        const precision = param(schema, CONNECT_PRECISION_PROP)
        if (precision !== undefined) params.push([PROTOBUF_PRECISION_PROP, precision])
        const scale = param(schema, CONNECT_SCALE_PROP)
        if (scale !== undefined) params.push([PROTOBUF_SCALE_PROP, scale])
        return DECIMAL_TYPE
      }
      case DATE_LOGICAL_NAME: return DATE_TYPE
      case TIME_LOGICAL_NAME: return TIME_TYPE
      case TIMESTAMP_LOGICAL_NAME: return TIMESTAMP_TYPE
    }
    switch (schema.type) {
      case 'int8': case 'int16':
        params.push([CONNECT_TYPE_PROP, schema.type])
        return this.#wrapOr(schema, oneofMember, 'Int32Value', 'int32')
      case 'int32': {
        const enumType = param(schema, PROTOBUF_TYPE_ENUM)
        if (enumType !== undefined) return enumType
        return this.#wrapOr(schema, oneofMember, 'Int32Value', param(schema, PROTOBUF_TYPE_PROP) ?? 'int32')
      }
      case 'int64': {
        const type = param(schema, PROTOBUF_TYPE_PROP) ?? 'int64'
        const wrapper = type === 'uint32' || type === 'fixed32' ? 'UInt32Value' : type === 'uint64' || type === 'fixed64' ? 'UInt64Value' : 'Int64Value'
        return this.#wrapOr(schema, oneofMember, wrapper, type)
      }
      case 'float32': return this.#wrapOr(schema, oneofMember, 'FloatValue', 'float')
      case 'float64': return this.#wrapOr(schema, oneofMember, 'DoubleValue', 'double')
      case 'boolean': return this.#wrapOr(schema, oneofMember, 'BoolValue', 'bool')
      case 'string': {
        const enumType = param(schema, GENERALIZED_TYPE_ENUM) ?? param(schema, PROTOBUF_TYPE_ENUM)
        return enumType ?? this.#wrapOr(schema, oneofMember, 'StringValue', 'string')
      }
      case 'bytes': return this.#wrapOr(schema, oneofMember, 'BytesValue', 'bytes')
      case 'array': throw new DataError('Array cannot be nested')
      case 'map': return toMapEntry(this.#unqualified(schema.name))
      case 'struct': {
        const name = this.#unqualified(schema.name)
        // A message type cannot share its name with a field of the message that holds it.
        return name === fieldName ? `${name}Message` : name
      }
    }
  }
}
