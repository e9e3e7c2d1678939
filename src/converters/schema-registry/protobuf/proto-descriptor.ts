/**
 * What the mapping and the codec need to know of a message type, taken once from protobufjs's reflection and shaped
 * as protobuf-java's descriptors see it (which Confluent's ProtobufData walks): a `map<K, V>` field is a repeated
 * field of a synthetic XEntry message (key = 1, value = 2); real oneofs are told apart from the synthetic ones of
 * proto3 `optional` fields; presence follows the file's syntax; confluent.field_meta params are read from the options.
 */
import protobuf from 'protobufjs'
import { DataError } from '../../../api/index.ts'
import { FIELD_META_OPTION, KEY_FIELD, MAP_ENTRY_SUFFIX, VALUE_FIELD, toMapEntry } from './protobuf-names.ts'

export type ScalarKind =
  | 'int32' | 'sint32' | 'sfixed32' | 'uint32' | 'fixed32' | 'int64' | 'uint64' | 'sint64' | 'fixed64' | 'sfixed64'
  | 'float' | 'double' | 'bool' | 'string' | 'bytes'

const SCALARS: ReadonlySet<string> = new Set(['int32', 'sint32', 'sfixed32', 'uint32', 'fixed32', 'int64', 'uint64', 'sint64',
  'fixed64', 'sfixed64', 'float', 'double', 'bool', 'string', 'bytes'])

export interface EnumInfo {
  readonly name: string
  readonly fullName: string
  /** In declaration order; the first is the default. */
  readonly values: ReadonlyArray<{ readonly name: string, readonly number: number }>
  readonly byNumber: ReadonlyMap<number, string>
}

export interface FieldInfo {
  readonly name: string
  readonly number: number
  readonly kind: ScalarKind | 'enum' | 'message'
  readonly enumType: EnumInfo | null
  /** For kind 'message' (resolved lazily: message types may be recursive). */
  readonly messageType: MessageInfo | null
  readonly repeated: boolean
  readonly packed: boolean
  /** A proto2 group: the message is written between start and end tags. */
  readonly delimited: boolean
  /** Whether an unset singular field is told apart from its default (messages, oneof members, optional, proto2). */
  readonly hasPresence: boolean
  readonly proto3Optional: boolean
  /** Confluent's hasOptionalKeyword: proto3 `optional`, or a proto2 optional field outside a oneof. */
  readonly optionalKeyword: boolean
  readonly oneof: OneofInfo | null
  /** confluent.field_meta params (connect.type, precision, scale). */
  readonly meta: ReadonlyMap<string, string>
  /** What getField answers when the field is unset (proto2 `[default = ...]` included); messages: null. */
  readonly defaultValue: unknown
}

export interface OneofInfo {
  readonly name: string
  readonly fullName: string
  readonly fields: readonly FieldInfo[]
}

export interface MessageInfo {
  readonly name: string
  readonly fullName: string
  /** Every field in declaration order. */
  readonly fields: readonly FieldInfo[]
  /** Fields in number order, as protobuf-java writes them. */
  readonly fieldsByNumber: readonly FieldInfo[]
  readonly byNumber: ReadonlyMap<number, FieldInfo>
  readonly byName: ReadonlyMap<string, FieldInfo>
  /** Oneofs that are not the synthetic one of a proto3 `optional` field, in declaration order. */
  readonly realOneofs: readonly OneofInfo[]
}

const stripDot = (name: string): string => name.startsWith('.') ? name.slice(1) : name
const MESSAGES = new WeakMap<protobuf.Type, MessageInfo>()
const ENUMS = new WeakMap<protobuf.Enum, EnumInfo>()

function enumInfo (e: protobuf.Enum): EnumInfo {
  let info = ENUMS.get(e)
  if (info === undefined) {
    const values = Object.entries(e.values).map(([name, number]) => ({ name, number }))
    const byNumber = new Map<number, string>()
    for (const v of values) if (!byNumber.has(v.number)) byNumber.set(v.number, v.name)
    info = { name: e.name, fullName: stripDot(e.fullName), values, byNumber }
    ENUMS.set(e, info)
  }
  return info
}

/** The file syntax a declaration belongs to, as protobufjs recorded it on top-level objects. */
function editionOf (o: protobuf.ReflectionObject): string {
  for (let p: protobuf.ReflectionObject | null = o; p !== null; p = p.parent) {
    const edition = (p as unknown as { _edition?: string })._edition
    if (typeof edition === 'string') return edition
  }
  return 'proto2'
}

/** confluent.field_meta's params as the option text declares them (one map, or a list of key/value maps). */
function metaParams (field: protobuf.FieldBase): Map<string, string> {
  const out = new Map<string, string>()
  for (const option of field.parsedOptions ?? []) {
    for (const [name, value] of Object.entries(option as Record<string, unknown>)) {
      if (name !== `(${FIELD_META_OPTION})` && name !== `(.${FIELD_META_OPTION})`) continue
      const params = (value as { params?: unknown } | null)?.params
      for (const p of Array.isArray(params) ? params : params !== undefined ? [params] : []) {
        const { key, value: v } = p as { key?: unknown, value?: unknown }
        if (key !== undefined) out.set(String(key), v === undefined ? '' : String(v))
      }
    }
  }
  return out
}

function scalarDefault (kind: ScalarKind, declared: unknown): unknown {
  switch (kind) {
    case 'int64': case 'uint64': case 'sint64': case 'fixed64': case 'sfixed64':
      return declared === undefined ? 0n : BigInt.asIntN(64, BigInt(String(declared)))
    case 'bool': return declared === true || declared === 'true'
    case 'string': return declared === undefined ? '' : String(declared)
    case 'bytes': return Buffer.from(typeof declared === 'string' ? declared : '', 'latin1')
    default: return declared === undefined ? 0 : Number(declared)
  }
}

interface FieldSource {
  name: string
  number: number
  type: string
  resolved: protobuf.Type | protobuf.Enum | null
  repeated: boolean
  packed: boolean
  delimited: boolean
  hasPresence: boolean
  proto3Optional: boolean
  optionalKeyword: boolean
  oneof: OneofInfo | null
  meta: Map<string, string>
  declaredDefault: unknown
  /** A synthetic map entry type instead of a resolved message. */
  entry?: MessageInfo
}

function fieldInfo (src: FieldSource): FieldInfo {
  const kind: FieldInfo['kind'] = src.entry !== undefined || src.resolved instanceof protobuf.Type
    ? 'message'
    : src.resolved instanceof protobuf.Enum ? 'enum' : SCALARS.has(src.type) ? src.type as ScalarKind : 'message'
  if (kind === 'message' && src.entry === undefined && !(src.resolved instanceof protobuf.Type)) {
    throw new DataError(`Field ${src.name} has an unresolved type ${src.type}`)
  }
  const enumType = src.resolved instanceof protobuf.Enum ? enumInfo(src.resolved) : null
  let message: MessageInfo | null | undefined = src.entry
  const resolvedType = src.resolved
  const defaultValue = kind === 'message'
    ? null
    : kind === 'enum'
      ? (typeof src.declaredDefault === 'string' ? resolvedType instanceof protobuf.Enum ? resolvedType.values[src.declaredDefault] : undefined : undefined) ?? enumType!.values[0]?.number ?? 0
      : scalarDefault(kind, src.declaredDefault)
  return {
    name: src.name,
    number: src.number,
    kind,
    enumType,
    get messageType (): MessageInfo | null {
      if (message === undefined) message = resolvedType instanceof protobuf.Type ? messageInfo(resolvedType) : null
      return message
    },
    repeated: src.repeated,
    packed: src.packed,
    delimited: src.delimited,
    hasPresence: src.hasPresence,
    proto3Optional: src.proto3Optional,
    optionalKeyword: src.optionalKeyword,
    oneof: src.oneof,
    meta: src.meta,
    defaultValue
  }
}

function build (name: string, fullName: string, fields: FieldInfo[], realOneofs: OneofInfo[], into?: MessageInfo): MessageInfo {
  const info = (into ?? {}) as { -readonly [K in keyof MessageInfo]: MessageInfo[K] }
  info.name = name
  info.fullName = fullName
  info.fields = fields
  info.fieldsByNumber = [...fields].sort((a, b) => a.number - b.number)
  info.byNumber = new Map(fields.map(f => [f.number, f]))
  info.byName = new Map(fields.map(f => [f.name, f]))
  info.realOneofs = realOneofs
  return info
}

/** protoc's entry message for a `map<K, V>` field: key = 1, value = 2, both singular with the file's presence. */
function mapEntry (field: protobuf.MapField, parentFullName: string, proto2: boolean): MessageInfo {
  const name = toMapEntry(field.name)
  const resolved = field.resolvedType
  const base = { repeated: false, packed: false, delimited: false, proto3Optional: false, oneof: null, meta: new Map<string, string>(), declaredDefault: undefined }
  const key = fieldInfo({ ...base, name: KEY_FIELD, number: 1, type: field.keyType, resolved: null, hasPresence: proto2, optionalKeyword: proto2 })
  const value = fieldInfo({ ...base, name: VALUE_FIELD, number: 2, type: field.type, resolved, hasPresence: proto2 || resolved instanceof protobuf.Type, optionalKeyword: proto2 })
  return build(name, `${parentFullName}.${name}`, [key, value], [])
}

const isSyntheticOneof = (o: protobuf.OneOf): boolean =>
  o.fieldsArray.length === 1 && (o.fieldsArray[0]!.options as { proto3_optional?: unknown } | undefined)?.proto3_optional === true

export function messageInfo (type: protobuf.Type): MessageInfo {
  const cached = MESSAGES.get(type)
  if (cached !== undefined) return cached
  const info = {} as MessageInfo
  MESSAGES.set(type, info)
  const fullName = stripDot(type.fullName)
  const proto2 = editionOf(type) === 'proto2'
  const oneofs = new Map<protobuf.OneOf, { name: string, fullName: string, fields: FieldInfo[] }>()
  for (const o of type.oneofsArray) if (!isSyntheticOneof(o)) oneofs.set(o, { name: o.name, fullName: `${fullName}.${o.name}`, fields: [] })
  const fields: FieldInfo[] = []
  for (const f of type.fieldsArray) {
    const oneof = f.partOf !== null ? oneofs.get(f.partOf) ?? null : null
    const proto3Optional = (f.options as { proto3_optional?: unknown } | undefined)?.proto3_optional === true
    const isMessage = f.resolvedType instanceof protobuf.Type
    const common = {
      name: f.name,
      number: f.id,
      type: f.type,
      resolved: f.resolvedType,
      delimited: f.delimited,
      proto3Optional,
      oneof,
      meta: metaParams(f),
      declaredDefault: (f.options as { default?: unknown } | undefined)?.default
    }
    let info: FieldInfo
    if (f.map) {
      const entry = mapEntry(f as unknown as protobuf.MapField, fullName, proto2)
      info = fieldInfo({ ...common, resolved: null, repeated: true, packed: false, hasPresence: false, optionalKeyword: false, entry })
    } else {
      const singular = !f.repeated
      info = fieldInfo({
        ...common,
        repeated: f.repeated,
        packed: f.repeated && f.packed,
        hasPresence: singular && (isMessage || f.partOf !== null || f.hasPresence),
        optionalKeyword: proto3Optional || (proto2 && singular && !f.required && f.partOf === null)
      })
    }
    fields.push(info)
    oneof?.fields.push(info)
  }
  return build(type.name, fullName, fields, [...oneofs.values()], info)
}

/** Confluent's isMapDescriptor: a repeated XEntry message with exactly a singular key and a singular value field. */
export function isMapField (field: FieldInfo): boolean {
  const entry = field.kind === 'message' && field.repeated ? field.messageType : null
  if (entry === null || !entry.name.endsWith(MAP_ENTRY_SUFFIX) || entry.fields.length !== 2) return false
  const [k, v] = entry.fields as [FieldInfo, FieldInfo]
  return k.name === KEY_FIELD && v.name === VALUE_FIELD && !k.repeated && !v.repeated
}
