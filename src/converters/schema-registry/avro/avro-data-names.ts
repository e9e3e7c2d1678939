/** The names and properties Confluent's AvroData writes into Avro schemas and Connect schemas (its public facts). */
export const NAMESPACE = 'io.confluent.connect.avro'
export const DEFAULT_SCHEMA_NAME = 'ConnectDefault'
export const DEFAULT_SCHEMA_FULL_NAME = `${NAMESPACE}.${DEFAULT_SCHEMA_NAME}`
export const MAP_ENTRY_TYPE_NAME = 'MapEntry'
export const KEY_FIELD = 'key'
export const VALUE_FIELD = 'value'

export const CONNECT_NAME_PROP = 'connect.name'
export const CONNECT_DOC_PROP = 'connect.doc'
export const CONNECT_VERSION_PROP = 'connect.version'
export const CONNECT_DEFAULT_VALUE_PROP = 'connect.default'
export const CONNECT_PARAMETERS_PROP = 'connect.parameters'
export const CONNECT_INTERNAL_TYPE_NAME = 'connect.internal.type'
export const CONNECT_TYPE_PROP = 'connect.type'
export const AVRO_RECORD_DOC_PROP = `${NAMESPACE}.record.doc`
export const AVRO_ENUM_DOC_PREFIX_PROP = `${NAMESPACE}.enum.doc.`
export const AVRO_FIELD_DOC_PREFIX_PROP = `${NAMESPACE}.field.doc.`
/** Marks a Connect default that came from an Avro field default (no connect.default), so it is not written back. */
export const AVRO_FIELD_DEFAULT_FLAG_PROP = `${NAMESPACE}.field.default`
export const AVRO_ENUM_DEFAULT_PREFIX_PROP = `${NAMESPACE}.enum.default.`
export const AVRO_TYPE_UNION = `${NAMESPACE}.Union`
export const AVRO_TYPE_ENUM = `${NAMESPACE}.Enum`
export const AVRO_TYPE_ANYTHING = `${NAMESPACE}.Anything`

/** Connect parameters whose key starts with this are copied to Avro properties, and back. */
export const AVRO_PROP = 'avro'
export const AVRO_LOGICAL_TYPE_PROP = 'logicalType'
export const AVRO_LOGICAL_TIMESTAMP_MILLIS = 'timestamp-millis'
export const AVRO_LOGICAL_TIME_MILLIS = 'time-millis'
export const AVRO_LOGICAL_DATE = 'date'
export const AVRO_LOGICAL_DECIMAL = 'decimal'
export const AVRO_LOGICAL_DECIMAL_SCALE_PROP = 'scale'
export const AVRO_LOGICAL_DECIMAL_PRECISION_PROP = 'precision'
export const CONNECT_AVRO_FIXED_SIZE_PROP = 'connect.fixed.size'
export const CONNECT_AVRO_DECIMAL_PRECISION_PROP = 'connect.decimal.precision'
export const CONNECT_AVRO_DECIMAL_PRECISION_DEFAULT = 64

const VALID_CHARS = /^[A-Za-z0-9_]*$/
const URL_SAFE = /[A-Za-z0-9.\-*_]/

/** Java's URLEncoder.encode(name, "UTF-8"): unreserved characters kept, space as '+', the rest as %XX of UTF-8. */
function urlEncode (name: string): string {
  let out = ''
  for (const ch of name) {
    if (URL_SAFE.test(ch)) out += ch
    else if (ch === ' ') out += '+'
    else for (const b of Buffer.from(ch, 'utf8')) out += '%' + b.toString(16).toUpperCase().padStart(2, '0')
  }
  return out
}

/**
 * Confluent's scrubbing of one name part (AvroData.doScrubName): a valid name stays; otherwise the URL-encoded name,
 * prefixed with 'x' when it starts with a digit, with every character outside [A-Za-z0-9_] replaced by '_'.
 */
export function doScrubName (name: string): string {
  if (name === '') return name
  if (VALID_CHARS.test(name) && !/^[0-9]/.test(name)) return name
  let encoded = urlEncode(name)
  if (/^[0-9]/.test(encoded)) encoded = 'x' + encoded
  return encoded.replace(/[^A-Za-z0-9_]/g, '_')
}

export function scrubName (name: string, scrub: boolean): string {
  return scrub ? doScrubName(name) : name
}

/** A Connect full name as [namespace or null, name], each dot-separated part scrubbed when asked (splitName). */
export function splitName (fullName: string, scrub: boolean): [string | null, string] {
  if (fullName === '') return [null, fullName]
  // Java's String.split drops trailing empty strings.
  const parts = fullName.split('.')
  while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop()
  const scrubbed = parts.map(p => scrubName(p, scrub))
  if (scrubbed.length <= 1) return [null, scrubbed[0]!]
  return [scrubbed.slice(0, -1).join('.'), scrubbed[scrubbed.length - 1]!]
}

/** The full name with each part scrubbed when asked (scrubFullName). */
export function scrubFullName (name: string | undefined, scrub: boolean): string | undefined {
  if (name === undefined || !scrub) return name
  const [space, short] = splitName(name, scrub)
  return space === null ? short : `${space}.${short}`
}
