/**
 * The .proto files a Connect schema's Protobuf form may import (logical types and wrappers), and the one Confluent's
 * metadata options come from. Confluent resolves these by name without the registry (ProtobufSchema's known
 * dependencies) and by default does not register them (skip.known.types=true); when they are registered, the text is
 * Confluent's rendering of each file's descriptor, which these follow: the message definitions (names, numbers,
 * types) and file options are the files' facts, the layout is Confluent's canonical one, no comments.
 */

export const TIMESTAMP_PROTO = 'google/protobuf/timestamp.proto'
export const WRAPPERS_PROTO = 'google/protobuf/wrappers.proto'
export const DATE_PROTO = 'google/type/date.proto'
export const TIME_OF_DAY_PROTO = 'google/type/timeofday.proto'
export const DECIMAL_PROTO = 'confluent/type/decimal.proto'
export const META_PROTO = 'confluent/meta.proto'

const WELL_KNOWN_OPTIONS = (outer: string, go: string): string => `option java_package = "com.google.protobuf";
option java_outer_classname = "${outer}";
option java_multiple_files = true;
option go_package = "google.golang.org/protobuf/types/known/${go}";
option cc_enable_arenas = true;
option objc_class_prefix = "GPB";
option csharp_namespace = "Google.Protobuf.WellKnownTypes";
`

const wrapper = (name: string, type: string): string => `message ${name} {
  ${type} value = 1 [json_name = "value"];
}
`

const TEXTS: ReadonlyMap<string, string> = new Map([
  [TIMESTAMP_PROTO, `syntax = "proto3";
package google.protobuf;

${WELL_KNOWN_OPTIONS('TimestampProto', 'timestamppb')}
message Timestamp {
  int64 seconds = 1 [json_name = "seconds"];
  int32 nanos = 2 [json_name = "nanos"];
}
`],
  [WRAPPERS_PROTO, `syntax = "proto3";
package google.protobuf;

${WELL_KNOWN_OPTIONS('WrappersProto', 'wrapperspb')}
${wrapper('DoubleValue', 'double')}${wrapper('FloatValue', 'float')}${wrapper('Int64Value', 'int64')}${wrapper('UInt64Value', 'uint64')}\
${wrapper('Int32Value', 'int32')}${wrapper('UInt32Value', 'uint32')}${wrapper('BoolValue', 'bool')}${wrapper('StringValue', 'string')}\
${wrapper('BytesValue', 'bytes')}`],
  [DATE_PROTO, `syntax = "proto3";
package google.type;

option java_package = "com.google.type";
option java_outer_classname = "DateProto";
option java_multiple_files = true;
option go_package = "google.golang.org/genproto/googleapis/type/date;date";
option cc_enable_arenas = true;
option objc_class_prefix = "GTP";

message Date {
  int32 year = 1;
  int32 month = 2;
  int32 day = 3;
}
`],
  [TIME_OF_DAY_PROTO, `syntax = "proto3";
package google.type;

option java_package = "com.google.type";
option java_outer_classname = "TimeOfDayProto";
option java_multiple_files = true;
option go_package = "google.golang.org/genproto/googleapis/type/timeofday;timeofday";
option cc_enable_arenas = true;
option objc_class_prefix = "GTP";

message TimeOfDay {
  int32 hours = 1;
  int32 minutes = 2;
  int32 seconds = 3;
  int32 nanos = 4;
}
`],
  [DECIMAL_PROTO, `syntax = "proto3";
package confluent.type;

option java_package = "io.confluent.protobuf.type";
option java_outer_classname = "DecimalProto";
option java_multiple_files = true;

message Decimal {
  bytes value = 1;
  uint32 precision = 2;
  int32 scale = 3;
}
`],
  // Only read, never registered by us (no schema we write imports it): the source form of Confluent's option types.
  [META_PROTO, `syntax = "proto3";
package confluent;

import "google/protobuf/descriptor.proto";

option java_package = "io.confluent.protobuf";
option java_outer_classname = "MetaProto";

message Meta {
  string doc = 1;
  map<string, string> params = 2;
  repeated string tags = 3;
  repeated Rule rules = 4;
}
message Rule {
  string name = 1;
  string doc = 2;
  string expr = 3;
  string sql = 4;
}

extend google.protobuf.FileOptions {
  Meta file_meta = 1088;
}
extend google.protobuf.MessageOptions {
  Meta message_meta = 1088;
}
extend google.protobuf.FieldOptions {
  Meta field_meta = 1088;
}
extend google.protobuf.EnumOptions {
  Meta enum_meta = 1088;
}
extend google.protobuf.EnumValueOptions {
  Meta enum_value_meta = 1088;
}
`]
])

/** The text of a file we know, or undefined. */
export function knownProtoText (path: string): string | undefined {
  return TEXTS.get(path)
}

const KNOWN_IMPORTS: ReadonlySet<string> = new Set([
  META_PROTO, DECIMAL_PROTO, 'confluent/type/variant.proto',
  ...['calendar_period', 'color', 'date', 'datetime', 'dayofweek', 'decimal', 'expr', 'fraction', 'interval', 'latlng', 'money',
    'month', 'phone_number', 'postal_address', 'quaternion', 'timeofday'].map(f => `google/type/${f}.proto`),
  ...['any', 'api', 'descriptor', 'duration', 'empty', 'field_mask', 'source_context', 'struct', 'timestamp', 'type', 'wrappers']
    .map(f => `google/protobuf/${f}.proto`)
])

/**
 * Whether Confluent counts an import as a known type (ProtobufSchema.knownTypes()), which its serializer does not
 * register when skip.known.types is true (the default) and its registry resolves without references.
 */
export function isKnownProtoImport (path: string): boolean {
  return KNOWN_IMPORTS.has(path)
}

/** The file that defines a type we import when writing (the wrapper, date, time, timestamp and decimal types). */
export const TYPE_FILES: ReadonlyMap<string, string> = new Map([
  ['confluent.type.Decimal', DECIMAL_PROTO],
  ['google.type.Date', DATE_PROTO],
  ['google.type.TimeOfDay', TIME_OF_DAY_PROTO],
  ['google.protobuf.Timestamp', TIMESTAMP_PROTO],
  ...['Double', 'Float', 'Int64', 'UInt64', 'Int32', 'UInt32', 'Bool', 'String', 'Bytes'].map(t => [`google.protobuf.${t}Value`, WRAPPERS_PROTO] as [string, string])
])
