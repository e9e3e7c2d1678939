/**
 * Names in Confluent's Protobuf mapping (ProtobufData's and ProtobufSchema's constants), its name scrubbing and the
 * map-entry naming it shares with protoc (Guava's CaseFormat conversions, reproduced for the two it uses).
 */
export const NAMESPACE = 'io.confluent.connect.protobuf'
export const DEFAULT_SCHEMA_NAME = 'ConnectDefault'
export const MAP_ENTRY_SUFFIX = 'Entry'
export const KEY_FIELD = 'key'
export const VALUE_FIELD = 'value'

/** Connect parameters the mapping writes and reads. */
export const PROTOBUF_TYPE_ENUM = `${NAMESPACE}.Enum`
export const PROTOBUF_TYPE_UNION = `${NAMESPACE}.Union`
export const PROTOBUF_TYPE_UNION_PREFIX = `${PROTOBUF_TYPE_UNION}.`
export const PROTOBUF_TYPE_TAG = `${NAMESPACE}.Tag`
export const PROTOBUF_TYPE_PROP = `${NAMESPACE}.Type`
/** Marks a oneof member read from a wrapper type, so that it is wrapped again when written. */
export const PROTOBUF_TYPE_WRAPPER = `${NAMESPACE}.Wrapper`
export const GENERALIZED_TYPE_UNION = 'org.apache.kafka.connect.data.Union'
export const GENERALIZED_TYPE_ENUM = 'org.apache.kafka.connect.data.Enum'
export const CONNECT_PRECISION_PROP = 'connect.decimal.precision'
export const CONNECT_SCALE_PROP = 'scale'
export const CONNECT_TYPE_PROP = 'connect.type'

/** Keys of confluent.Meta params on a field (Decimal's precision and scale). */
export const PROTOBUF_PRECISION_PROP = 'precision'
export const PROTOBUF_SCALE_PROP = 'scale'

export const DECIMAL_TYPE = 'confluent.type.Decimal'
export const DATE_TYPE = 'google.type.Date'
export const TIME_TYPE = 'google.type.TimeOfDay'
export const TIMESTAMP_TYPE = 'google.protobuf.Timestamp'
export const FIELD_META_OPTION = 'confluent.field_meta'

/** The wrapper messages and the Connect type each unwraps to (ProtobufData.toUnwrappedSchema). */
export const WRAPPER_TYPES: ReadonlyMap<string, 'float64' | 'float32' | 'int64' | 'int32' | 'boolean' | 'string' | 'bytes'> = new Map([
  ['google.protobuf.DoubleValue', 'float64'],
  ['google.protobuf.FloatValue', 'float32'],
  ['google.protobuf.Int64Value', 'int64'],
  ['google.protobuf.UInt64Value', 'int64'],
  ['google.protobuf.Int32Value', 'int32'],
  ['google.protobuf.UInt32Value', 'int64'],
  ['google.protobuf.BoolValue', 'boolean'],
  ['google.protobuf.StringValue', 'string'],
  ['google.protobuf.BytesValue', 'bytes']
] as const)

const isWordChar = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95
const isDigit = (c: number): boolean => c >= 48 && c <= 57

/** Java's URLEncoder.encode(s, UTF-8): unreserved characters kept, a space as '+', the rest as %XX of its UTF-8 bytes. */
function urlEncode (s: string): string {
  let out = ''
  for (const ch of s) {
    if (/^[A-Za-z0-9.\-*_]$/.test(ch)) out += ch
    else if (ch === ' ') out += '+'
    else for (const b of Buffer.from(ch, 'utf8')) out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`
  }
  return out
}

/**
 * ProtobufData.doScrubName: a name that is not [A-Za-z][A-Za-z0-9_]* is URL-encoded, every character outside
 * [A-Za-z0-9_] then becomes '_', and a result starting with a digit or '_' gets an 'x' in front.
 */
export function scrubName (name: string): string {
  if (name === '') return name
  let ok = true
  for (let i = 0; i < name.length; i++) if (!isWordChar(name.charCodeAt(i))) ok = false
  if (ok && !isDigit(name.charCodeAt(0)) && name[0] !== '_') return name
  let encoded = urlEncode(name)
  if (isDigit(encoded.charCodeAt(0)) || encoded[0] === '_') encoded = `x${encoded}`
  let out = ''
  for (let i = 0; i < encoded.length; i++) out += isWordChar(encoded.charCodeAt(i)) ? encoded[i] : '_'
  return out
}

/** Java's String.split(regex) for a one-character separator: trailing empty strings are dropped. */
export function javaSplit (s: string, sep: string): string[] {
  const parts = s.split(sep)
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop()
  return parts
}

const asciiLower = (w: string): string => w.replace(/[A-Z]/g, c => c.toLowerCase())
const asciiUpperFirst = (w: string): string => w === '' ? w : w[0]!.replace(/[a-z]/, c => c.toUpperCase()) + asciiLower(w.slice(1))

/**
 * Guava's CaseFormat.convert for UPPER_CAMEL (boundary: an uppercase ASCII letter, a zero-width separator) and
 * LOWER_UNDERSCORE (boundary '_'), step for step: a boundary while nothing has been consumed yet restarts the output.
 */
function convertCase (s: string, from: 'UPPER_CAMEL' | 'LOWER_UNDERSCORE'): string {
  const isBoundary = from === 'UPPER_CAMEL' ? (c: string) => c >= 'A' && c <= 'Z' : (c: string) => c === '_'
  const sourceSeparatorLength = from === 'UPPER_CAMEL' ? 0 : 1
  const normalize = from === 'UPPER_CAMEL' ? asciiLower : asciiUpperFirst
  const targetSeparator = from === 'UPPER_CAMEL' ? '_' : ''
  let out = ''
  let i = 0
  for (let j = 0; j < s.length; j++) {
    if (!isBoundary(s[j]!)) continue
    out = (i === 0 ? '' : out) + normalize(s.slice(i, j)) + targetSeparator
    i = j + sourceSeparatorLength
  }
  return i === 0 ? normalize(s) : out + normalize(s.slice(i))
}

/** ProtobufSchema.toMapEntry: the entry message protoc names after a map field ("my_map" gives "MyMapEntry"). */
export function toMapEntry (s: string): string {
  return (s.includes('_') ? convertCase(s, 'LOWER_UNDERSCORE') : s) + MAP_ENTRY_SUFFIX
}

/** ProtobufSchema.toMapField: the Connect map name for an entry message ("pkg.MyMapEntry" gives "pkg.my_map"). */
export function toMapField (s: string): string {
  const parts = javaSplit(s, '.')
  let last = parts[parts.length - 1] ?? ''
  if (last.endsWith(MAP_ENTRY_SUFFIX)) {
    last = convertCase(last.slice(0, last.length - MAP_ENTRY_SUFFIX.length), 'UPPER_CAMEL')
    parts[parts.length - 1] = last
  }
  return parts.join('.')
}
