// Regenerates golden.jsonl from Apache Kafka 4.3.1's real classes: StringConverter (every value type, charsets,
// malformed input), the number converters (ShortConverter ... BooleanConverter) and Charset.forName's names.
// Resolves connect-runtime and connect-json with Maven into .cache/string-converter-golden/ (not checked in),
// compiles java/StringConverterGolden.java and feeds it the cases below. Run with JDK 17 on PATH:
//   node test/converters/string/generate-golden.mjs
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const KAFKA_VERSION = '4.3.1'
const HERE = dirname(fileURLToPath(import.meta.url))
const ROOT = join(HERE, '..', '..', '..')
const CACHE = join(ROOT, '.cache', 'string-converter-golden')

// ---------------------------------------------------------------- JsonConverter envelopes
const env = (schema, payload) => ({ schema, payload })
const s = (type, extra = {}) => ({ type, optional: false, ...extra })
const opt = (type, extra = {}) => ({ type, optional: true, ...extra })
const raw = v => env(null, v)
const TS_NAME = 'org.apache.kafka.connect.data.Timestamp'
const tsSchema = s('int64', { name: TS_NAME, version: 1 })
const dateSchema = s('int32', { name: 'org.apache.kafka.connect.data.Date', version: 1 })
const timeSchema = s('int32', { name: 'org.apache.kafka.connect.data.Time', version: 1 })
const decSchema = scale => s('bytes', { name: 'org.apache.kafka.connect.data.Decimal', version: 1, parameters: { scale: String(scale) } })
/** Java's BigInteger.toByteArray, base64: the payload of a Decimal in an envelope. */
function decimalPayload (unscaled) {
  const bytes = []
  let v = BigInt(unscaled)
  for (;;) {
    const b = Number(v & 0xffn)
    bytes.unshift(b)
    v >>= 8n
    if ((v === 0n && (b & 0x80) === 0) || (v === -1n && (b & 0x80) !== 0)) break
  }
  return Buffer.from(bytes).toString('base64')
}
const dec = (unscaled, scale) => env(decSchema(scale), decimalPayload(unscaled))
const i8 = v => env(s('int8'), v)
const i16 = v => env(s('int16'), v)
const i32 = v => env(s('int32'), v)
const i64 = v => env(s('int64'), v)
const f32 = v => env(s('float'), v)
const f64 = v => env(s('double'), v)
const bool = v => env(s('boolean'), v)
const str = v => env(s('string'), v)
const bytes = hex => env(s('bytes'), Buffer.from(hex, 'hex').toString('base64'))
const field = (name, schema) => ({ ...schema, field: name })
const struct = (fields, payload, extra = {}) => env(s('struct', { fields, ...extra }), payload)

const cases = []
let n = 0
const add = c => cases.push({ id: `${++n} ${c.name}`, ...c })

// ---------------------------------------------------------------- StringConverter: values that are not strings
const SC = 'StringConverter'
const values = [
  ['string', str('hello')],
  ['empty string', str('')],
  ['unicode string', str('h\u00e9llo \u65e5\u672c \ud83d\ude00')],
  ['lone high surrogate', str('a\ud800b')],
  ['lone low surrogate', str('\udc00x')],
  ['trailing high surrogate', str('x\ud83d')],
  ['NUL and controls', str('\u0000\u0001\t\n')],
  ['int8', i8(-128)],
  ['int16', i16(-129)],
  ['int32 max', i32(2147483647)],
  ['int64 max', i64('__INT64_MAX__')],
  ['int64 beyond 2^53', i64('__INT64_2_53_PLUS_1__')],
  ['int64 negative', i64(-1)],
  ['float32 0.1', f32(0.1)],
  ['float32 1e10', f32(1e10)],
  ['float32 max', f32(3.4028234663852886e38)],
  ['float32 min normal', f32(1.1754943508222875e-38)],
  ['float32 2^24', f32(16777216)],
  ['float32 1e7', f32(1e7)],
  ['float32 123456.7', f32(123456.7)],
  ['float32 0.001', f32(0.001)],
  ['float32 negative zero', f32(-0)],
  ['float64 1e21', f64(1e21)],
  ['float64 1e10', f64(1e10)],
  ['float64 0.1', f64(0.1)],
  ['float64 1e-5', f64(1e-5)],
  ['float64 0.001', f64(0.001)],
  ['float64 1234567', f64(1234567)],
  ['float64 12345678.9', f64(12345678.9)],
  ['float64 100', f64(100)],
  ['float64 2.5', f64(2.5)],
  ['float64 min subnormal', f64(5e-324)],
  ['float64 max', f64(1.7976931348623157e308)],
  ['float64 negative', f64(-123.456)],
  ['boolean true', bool(true)],
  ['boolean false', bool(false)],
  ['bytes', bytes('010203')],
  ['empty bytes', bytes('')],
  ['decimal 123.45', dec(12345, 2)],
  ['decimal scale 0', dec(-42, 0)],
  ['decimal negative scale', dec(5, -3)],
  ['decimal zero negative scale', dec(0, -2)],
  ['decimal small', dec(1000, 10)],
  ['decimal 1e-7', dec(1, 7)],
  ['decimal 1e-6', dec(1, 6)],
  ['decimal zero scale 3', dec(0, 3)],
  ['decimal negative small', dec(-123, 9)],
  ['decimal big', dec('123456789012345678901234567890', 5)],
  ['timestamp', env(tsSchema, 1700000000123)],
  ['timestamp epoch', env(tsSchema, 0)],
  ['timestamp pre-epoch', env(tsSchema, -1)],
  ['timestamp year 10000', env(tsSchema, 253402300800000)],
  ['timestamp year 999', env(tsSchema, -30610224000000)],
  ['timestamp year 1', env(tsSchema, -62135596800000)],
  ['timestamp before year 1', env(tsSchema, -62135596800001)],
  ['timestamp Gregorian cutover', env(tsSchema, -12219292800000)],
  ['timestamp day before cutover', env(tsSchema, -12219292800001)],
  ['timestamp 1500', env(tsSchema, -14831769600000)],
  ['timestamp leap day 2024', env(tsSchema, 1709164800000)],
  ['timestamp 1 BC', env(tsSchema, -62198755200000)],
  ['timestamp 1200 BC', env(tsSchema, -100000000000000)],
  ['timestamp earliest JS date', env(tsSchema, -8640000000000000)],
  ['timestamp latest JS date', env(tsSchema, 8640000000000000)],
  ['timestamp with millis in 1600', env(tsSchema, -11676096000001)],
  ['date', env(dateSchema, 19737)],
  ['date pre-epoch', env(dateSchema, -1)],
  ['time', env(timeSchema, 3723004)],
  ['struct', struct([field('a', s('int32')), field('b', s('string'))], { a: 1, b: 'x' })],
  ['struct with null optional field', struct([field('a', opt('int32')), field('b', s('string'))], { a: null, b: 'x' })],
  ['struct all null', struct([field('a', opt('int32'))], { a: null })],
  ['struct numbers', struct([field('f', s('float')), field('d', s('double')), field('l', s('int64'))], { f: 0.1, d: 1e21, l: 5 })],
  ['struct nested', struct([field('in', s('struct', { fields: [field('x', s('double'))] })), field('k', s('boolean'))], { in: { x: 1e10 }, k: true })],
  ['struct with array and map', struct([field('arr', s('array', { items: s('double') })), field('m', s('map', { keys: s('string'), values: s('int32') }))], { arr: [1, 2.5], m: { k: 1 } })],
  ['struct with logical fields', struct([field('ts', tsSchema), field('d', decSchema(2))], { ts: 1700000000123, d: decimalPayload(100) })],
  ['struct with bytes field', struct([field('b', s('bytes'))], { b: 'AQI=' })],
  ['struct with default', struct([field('a', opt('int32', { default: 7 }))], { a: null })],
  ['array int32', env(s('array', { items: s('int32') }), [1, 2])],
  ['array float64', env(s('array', { items: s('double') }), [1, 1e21, 0.5])],
  ['array float32', env(s('array', { items: s('float') }), [0.1, 1e10])],
  ['array strings', env(s('array', { items: s('string') }), ['a', 'b c', ''])],
  ['array empty', env(s('array', { items: s('string') }), [])],
  ['array with null', env(s('array', { items: opt('string') }), ['a', null])],
  ['array nested', env(s('array', { items: s('array', { items: s('int64') }) }), [[1], [], [2, 3]])],
  ['array of timestamps', env(s('array', { items: tsSchema }), [0, 1700000000123])],
  ['array of decimals', env(s('array', { items: decSchema(1) }), [decimalPayload(15), decimalPayload(-1)])],
  ['array of structs', env(s('array', { items: s('struct', { fields: [field('a', s('int8'))] }) }), [{ a: 1 }, { a: 2 }])],
  ['array of bytes', env(s('array', { items: s('bytes') }), ['AA=='])],
  ['map string to int32', env(s('map', { keys: s('string'), values: s('int32') }), { a: 1 })],
  ['map string to float64', env(s('map', { keys: s('string'), values: s('double') }), { x: 1e10 })],
  ['map many keys', env(s('map', { keys: s('string'), values: s('string') }), { b: '1', a: '2', c: '3', key10: '4', key2: '5', zz: '6' })],
  ['map int keys', env(s('map', { keys: s('int32'), values: s('string') }), [[3, 'c'], [1, 'a'], [20, 't']])],
  ['map float32 values', env(s('map', { keys: s('string'), values: s('float') }), { f: 0.1 })],
  ['map empty', env(s('map', { keys: s('string'), values: s('string') }), {})],
  ['map with null value', env(s('map', { keys: s('string'), values: opt('string') }), { k: null })],
  ['map of arrays', env(s('map', { keys: s('string'), values: s('array', { items: s('boolean') }) }), { k: [true, false] })],
  ['optional null', env(opt('string'), null)],
  ['schemaless map', raw({ a: 1, b: 'x' })],
  ['schemaless map many keys', raw({ zeta: 1, alpha: 2, beta: 3, key10: 4, key2: 5, '': 6 })],
  ['schemaless nested', raw({ x: { y: [1, 2.5, 'z', null, true] } })],
  ['schemaless list', raw([1, 'a', true, null])],
  ['schemaless empty map', raw({})],
  ['schemaless empty list', raw([])],
  ['schemaless 1e21', raw(1e21)],
  ['schemaless integer beyond int', raw(10000000000)],
  ['schemaless 2.5', raw(2.5)],
  ['schemaless 0.1', raw(0.1)],
  ['schemaless 1e-7', raw(1e-7)],
  ['schemaless true', raw(true)],
  ['schemaless string', raw('plain')],
  ['schemaless null', null],
  ['schemaless large integer', raw('__INT64_MIN__')]
]
for (const [name, value] of values) add({ op: 'write', class: SC, name: `write ${name}`, config: {}, value })
// The same values are written through the header path and with the key flag for a sample.
for (const [name, value] of values.filter((_, i) => i % 9 === 0)) {
  add({ op: 'write', class: SC, name: `write header ${name}`, mode: 'header', config: {}, value })
  add({ op: 'write', class: SC, name: `write key ${name}`, mode: 'key', config: {}, value })
}

// ---------------------------------------------------------------- charsets
const charsetNames = ['UTF-8', 'utf8', 'UTF8', 'Utf-8', 'unicode-1-1-utf-8', 'UTF-16', 'utf-16', 'UTF_16', 'utf16', 'UnicodeBig',
  'UTF-16BE', 'UnicodeBigUnmarked', 'X-UTF-16BE', 'ISO-10646-UCS-2', 'UTF-16LE', 'UnicodeLittleUnmarked', 'X-UTF-16LE', 'UnicodeLittle', 'x-UTF-16LE-BOM',
  'UTF-32', 'utf32', 'UTF_32', 'UTF-32BE', 'UTF_32BE', 'X-UTF-32BE', 'UTF-32LE', 'UTF_32LE', 'X-UTF-32LE', 'X-UTF-32BE-BOM', 'UTF_32BE_BOM', 'X-UTF-32LE-BOM', 'UTF_32LE_BOM',
  'ISO-8859-1', 'iso-8859-1', 'latin1', 'ISO8859_1', 'ISO_8859-1', 'l1', '819', 'cp819', 'IBM819', 'csISOLatin1', 'ISO_8859_1', 'ISO8859-1', '8859_1', 'ISO_8859-1:1987', 'iso-ir-100',
  'US-ASCII', 'ascii', 'ASCII', 'us', '646', 'iso_646.irv:1983', 'ANSI_X3.4-1968', 'cp367', 'IBM367', 'csASCII', 'default', 'ISO646-US', 'ANSI_X3.4-1986', 'iso-ir-6', 'ascii7',
  'windows-1252', 'Cp1252', 'cp1252', 'cp5348', 'ibm-1252', 'ibm1252',
  'ISO-8859-15', 'latin9', 'ISO8859_15', 'L9', 'IBM923', 'cp923', '923', 'LATIN0', 'ISO8859_15_FDIS', 'csISOlatin0', 'csISOlatin9', 'ISO8859-15', 'ISO_8859-15', '8859_15', 'IBM-923', 'ISO-8859-15',
  // Names Java refuses (and two it accepts that we do not carry).
  'nope', '', 'utf 8', 'UTF-7', '-utf8', 'Shift_JIS', 'KOI8-R']
for (const name of charsetNames) add({ op: 'charset', name: `charset ${JSON.stringify(name)}`, 'charset': name })
// `name` of the case is its label; the charset sits in 'charset'. Java reads c.get("name"): rename below.

const samples = [
  ['ascii', 'hello'], ['latin', 'h\u00e9llo \u00ff'], ['euro', '\u20acuro'], ['cjk', '\u65e5\u672c'], ['emoji', '\ud83d\ude00'],
  ['lone high', 'a\ud800b'], ['lone low', '\udc00x'], ['trailing high', 'x\ud83d'], ['cp1252 letters', '\u0152\u0153 \u0160\u0161 \u017d\u017e \u0178 \u00a4 \u2122'],
  ['C1 controls', '\u0080\u0081\u009f'], ['empty', ''], ['NUL', '\u0000'], ['BOM char', '\ufeffx'], ['max code point', '\udbff\udfff'], ['replacement char', '\ufffd']]
const encodings = ['UTF-8', 'UTF-16', 'UTF-16BE', 'UTF-16LE', 'UnicodeLittle', 'UTF-32', 'UTF-32BE', 'UTF-32LE', 'X-UTF-32BE-BOM', 'X-UTF-32LE-BOM',
  'ISO-8859-1', 'US-ASCII', 'windows-1252', 'ISO-8859-15', 'utf16', 'Cp1252', 'latin1', 'latin9']
for (const enc of encodings) {
  for (const [label, text] of samples) add({ op: 'write', class: SC, name: `encode ${enc} ${label}`, config: { 'converter.encoding': enc }, value: str(text) })
}
// Non-strings through other encodings.
for (const enc of ['UTF-16', 'ISO-8859-1', 'US-ASCII']) {
  add({ op: 'write', class: SC, name: `encode ${enc} float64`, config: { 'converter.encoding': enc }, value: f64(1e21) })
  add({ op: 'write', class: SC, name: `encode ${enc} schemaless map`, config: { 'converter.encoding': enc }, value: raw({ 'k\u00e9': '\u20ac' }) })
}

const malformed = {
  'UTF-8': ['c3', 'ff', 'e282', 'e282ac41', 'eda080', 'eda080edb080', 'f4908080', 'c0af', 'f0', 'f09f98', 'f09f9880', '80bf', 'efbbbf41', 'fe', 'e0808041'],
  'UTF-16': ['00', 'feff0041', 'fffe4100', '0041', 'd800', 'dc000041', 'd8000041', 'd83dde00', '004100', 'fffe', 'feff', 'fffe00d8', 'feff00410000feff', 'fefffffe', 'fffefeff', 'fffe4100fffe'],
  'UTF-16BE': ['0041', '00', 'feff0041', 'd800', 'd800d800dc00', 'dc00', 'fffe0041', '0041fffe', 'd800fffe'],
  'UTF-16LE': ['4100', '41', 'fffe4100', '00d8', '3dd800de', '00dc41'],
  UnicodeLittle: ['fffe4100', 'feff0041', '4100'],
  'UTF-32': ['00000041', '0000feff00000041', 'fffe000041000000', '00110000', '000000', '0000d800', '0001f600', 'ffffffff', '000000410000', '0000feff'],
  'UTF-32BE': ['00000041', '0000feff00000041', '00110000', '0000d800', '0000004100', 'fffe000041000000', '0000fffe', '000000410000feff'],
  'UTF-32LE': ['41000000', 'fffe000041000000', '00001100', '00d80000', '410000', '0000feff00000041', 'fffe0000'],
  'X-UTF-32LE-BOM': ['fffe000041000000', '41000000', '0000feff00000041'],
  'X-UTF-32BE-BOM': ['0000feff00000041', '00000041'],
  'US-ASCII': ['41ff80', '7f', '80'],
  'windows-1252': ['80818d8f909d9f', '41a4ff', '8081'],
  'ISO-8859-15': ['a4a6a8b4b8bcbdbe', '41ff80'],
  'ISO-8859-1': ['00ff80', '41']
}
for (const [enc, list] of Object.entries(malformed)) {
  for (const hex of list) add({ op: 'read', class: SC, name: `decode ${enc} ${hex}`, config: { 'converter.encoding': enc }, in: hex })
}
add({ op: 'read', class: SC, name: 'read null', config: {}, in: null })
add({ op: 'read', class: SC, name: 'read empty', config: {}, in: '' })
add({ op: 'read', class: SC, name: 'read header utf16', mode: 'header', config: { 'converter.encoding': 'UTF-16' }, in: 'feff0041' })

// Unknown or refused charset names: where and how Apache fails.
for (const enc of ['nope', '', 'utf 8', 'UTF-7', 'Shift_JIS']) {
  add({ op: 'write', class: SC, name: `unknown encoding ${JSON.stringify(enc)} write`, config: { 'converter.encoding': enc }, value: str('x') })
  add({ op: 'read', class: SC, name: `unknown encoding ${JSON.stringify(enc)} read`, config: { 'converter.encoding': enc }, in: '41' })
}
add({ op: 'write', class: SC, name: 'unknown encoding header', mode: 'header', config: { 'converter.encoding': 'nope' }, value: str('x') })
add({ op: 'write', class: SC, name: 'unknown encoding null value', config: { 'converter.encoding': 'nope' }, value: null })

// Serializer/deserializer encoding keys, which StringSerializer reads before the one StringConverter passes.
add({ op: 'write', class: SC, name: 'value.serializer.encoding wins', config: { 'converter.encoding': 'UTF-16', 'value.serializer.encoding': 'ISO-8859-1' }, value: str('\u00e9') })
add({ op: 'write', class: SC, name: 'key.serializer.encoding wins for a key', mode: 'key', config: { 'converter.encoding': 'UTF-16', 'key.serializer.encoding': 'ISO-8859-1' }, value: str('\u00e9') })
add({ op: 'write', class: SC, name: 'key.serializer.encoding ignored for a value', config: { 'converter.encoding': 'UTF-16', 'key.serializer.encoding': 'ISO-8859-1' }, value: str('\u00e9') })
add({ op: 'write', class: SC, name: 'serializer.encoding is overridden', config: { 'converter.encoding': 'UTF-16BE', 'serializer.encoding': 'ISO-8859-1' }, value: str('\u00e9') })
add({ op: 'write', class: SC, name: 'value.serializer.encoding in a header converter', mode: 'header', config: { 'value.serializer.encoding': 'UTF-16LE' }, value: str('\u00e9') })
add({ op: 'write', class: SC, name: 'value.deserializer.encoding unknown', config: { 'value.deserializer.encoding': 'nope' }, value: str('x') })
add({ op: 'write', class: SC, name: 'value.serializer.encoding unknown', config: { 'value.serializer.encoding': 'nope' }, value: str('x') })
add({ op: 'read', class: SC, name: 'value.deserializer.encoding wins', config: { 'converter.encoding': 'UTF-16', 'value.deserializer.encoding': 'ISO-8859-1' }, in: 'e9' })
add({ op: 'read', class: SC, name: 'key.deserializer.encoding wins for a key', mode: 'key', config: { 'key.deserializer.encoding': 'UTF-16LE' }, in: '4100' })
add({ op: 'read', class: SC, name: 'deserializer.encoding is overridden', config: { 'deserializer.encoding': 'UTF-16LE' }, in: '41' })
add({ op: 'write', class: SC, name: 'mixed serializer and deserializer encodings write', config: { 'value.serializer.encoding': 'UTF-16BE', 'value.deserializer.encoding': 'ISO-8859-1' }, value: str('A') })

// ---------------------------------------------------------------- number converters
const NUMBER_CLASSES = ['ShortConverter', 'IntegerConverter', 'LongConverter', 'FloatConverter', 'DoubleConverter', 'BooleanConverter']
const numberValues = [
  ['int8', i8(5)], ['int16', i16(258)], ['int16 min', i16(-32768)], ['int32', i32(-2)], ['int32 max', i32(2147483647)], ['int64', i64('__INT64_2_53_PLUS_1__')], ['int64 small', i64(7)],
  ['float32', f32(1.5)], ['float32 0.1', f32(0.1)], ['float64', f64(0.1)], ['float64 whole', f64(3)], ['boolean true', bool(true)], ['boolean false', bool(false)],
  ['string', str('x')], ['bytes', bytes('00')], ['decimal', dec(1, 0)], ['timestamp', env(tsSchema, 0)], ['date', env(dateSchema, 1)],
  ['struct', struct([field('a', s('int32'))], { a: 1 })], ['array', env(s('array', { items: s('int32') }), [1])], ['map', env(s('map', { keys: s('string'), values: s('int32') }), { a: 1 })],
  ['optional int32 null', env(opt('int32'), null)], ['optional string null', env(opt('string'), null)], ['schemaless null', null],
  ['schemaless string', raw('x')], ['schemaless true', raw(true)], ['schemaless 2.5', raw(2.5)], ['schemaless map', raw({ a: 1 })], ['schemaless list', raw([1])],
  ['schemaless integer', raw(5)], ['schemaless integer beyond int', raw(10000000000)]
]
for (const cls of NUMBER_CLASSES) {
  for (const [name, value] of numberValues) add({ op: 'write', class: cls, name: `${cls} write ${name}`, config: {}, value })
  add({ op: 'write', class: cls, name: `${cls} header write int16`, mode: 'header', config: {}, value: i16(1) })
}
// Typed values handed over without their schema: Java still knows the class, we only see a JS number.
for (const [cls, name, value] of [['ShortConverter', 'int16', i16(-2)], ['IntegerConverter', 'int32', i32(70000)], ['LongConverter', 'int64', i64(7)],
  ['FloatConverter', 'float32', f32(0.1)], ['DoubleConverter', 'float64', f64(0.1)], ['IntegerConverter', 'int64', i64(7)], ['ShortConverter', 'int8', i8(1)],
  ['BooleanConverter', 'boolean', bool(true)], ['LongConverter', 'int32', i32(1)]]) {
  add({ op: 'write', class: cls, name: `${cls} write ${name} without its schema`, config: {}, value, passSchema: false })
}
const reads = {
  ShortConverter: ['0102', 'ffff', '8000', '01', '010203', ''],
  IntegerConverter: ['fffffffe', '7fffffff', '80000000', '0000', '0000000000', ''],
  LongConverter: ['0020000000000001', 'ffffffffffffffff', '8000000000000000', '7fffffffffffffff', '00000000000001', '000000000000000001', ''],
  FloatConverter: ['3fc00000', '7fc00000', 'ff800000', '00000001', '80000000', '3dcccccd', '3fc000', '3fc0000000', ''],
  DoubleConverter: ['3fb999999999999a', '8000000000000000', '7ff8000000000000', '0000000000000001', '444b1ae4d6e2ef50', '3fb99999999999', '3fb999999999999a00', ''],
  BooleanConverter: ['01', '00', '02', 'ff', '0101', '']
}
for (const [cls, list] of Object.entries(reads)) {
  for (const hex of list) add({ op: 'read', class: cls, name: `${cls} read ${hex || 'empty'}`, config: {}, in: hex })
  add({ op: 'read', class: cls, name: `${cls} read null`, config: {}, in: null })
  add({ op: 'read', class: cls, name: `${cls} header read`, mode: 'header', config: {}, in: list[0] })
}

// ---------------------------------------------------------------- more single-byte charsets
// Their tables come from Java (op 'table'), are written to src/java/charset-tables.ts, and are then
// checked like the others: every high byte decoded, every mapped character and a few unmappable ones encoded.
const TABLE_CHARSETS = ['ISO-8859-2', 'ISO-8859-3', 'ISO-8859-4', 'ISO-8859-5', 'ISO-8859-6', 'ISO-8859-7', 'ISO-8859-8', 'ISO-8859-9', 'ISO-8859-13',
  'ISO-8859-16', 'windows-1250', 'windows-1251', 'windows-1253', 'windows-1254', 'windows-1255', 'windows-1256', 'windows-1257', 'windows-1258',
  'KOI8-R', 'KOI8-U', 'IBM437', 'IBM737', 'IBM775', 'IBM850', 'IBM852', 'IBM855', 'IBM857', 'IBM00858', 'IBM862', 'IBM866', 'x-IBM874', 'TIS-620',
  'x-MacRoman', 'x-MacCyrillic', 'x-MacGreek', 'x-MacCentralEurope']
const tableCases = TABLE_CHARSETS.map((name, i) => JSON.stringify({ id: `table ${i}`, op: 'table', name }))
const ALL_BYTES = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0')).join('')
for (const enc of TABLE_CHARSETS) {
  add({ op: 'read', class: SC, name: `decode ${enc} every byte`, config: { 'converter.encoding': enc }, in: ALL_BYTES })
  add({ op: 'write', class: SC, name: `encode ${enc} unmappable`, config: { 'converter.encoding': enc }, value: str('a\u65e5\ud83d\ude00\ud800b\u20ac\u00e9') })
}

// ---------------------------------------------------------------- run
// Numbers JSON cannot carry exactly are spliced into the envelope text as bare JSON numbers.
const BIG = { __INT64_MAX__: '9223372036854775807', __INT64_MIN__: '-9223372036854775808', __INT64_2_53_PLUS_1__: '9007199254740993' }
const splice = text => text.replace(/"(__INT64_[A-Z0-9_]+__)"/g, (_, k) => BIG[k])
const lines = cases.map(c => {
  const { charset, ...rest } = c
  const line = charset === undefined ? rest : { ...rest, label: rest.name, name: charset }
  // The envelope's exact text too, for the TypeScript side: JSON.parse would round a 64-bit payload.
  if (line.value !== undefined) line.valueText = splice(JSON.stringify(line.value))
  return splice(JSON.stringify(line))
})

mkdirSync(join(CACHE, 'classes'), { recursive: true })
writeFileSync(join(CACHE, 'pom.xml'), `<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
<groupId>connect-standalone.test</groupId><artifactId>string-converter-golden</artifactId><version>1</version>
<dependencies>
${['connect-runtime', 'connect-json', 'connect-api'].map(a => `<dependency><groupId>org.apache.kafka</groupId><artifactId>${a}</artifactId><version>${KAFKA_VERSION}</version></dependency>`).join('\n')}
</dependencies>
</project>
`)
const cpFile = join(CACHE, 'classpath.txt')
execFileSync('mvn', ['-q', '-B', '-Dstyle.color=never', 'dependency:build-classpath', `-Dmdep.outputFile=${cpFile}`], { cwd: CACHE, stdio: ['ignore', 'ignore', 'inherit'] })
const classpath = readFileSync(cpFile, 'utf8').trim()
execFileSync('javac', ['-nowarn', '-d', join(CACHE, 'classes'), '-cp', classpath, join(HERE, 'java', 'StringConverterGolden.java')], { stdio: ['ignore', 'ignore', 'inherit'] })
const out = execFileSync('java', ['-Duser.timezone=UTC', '-Duser.language=en', '-Duser.country=US', '-cp', `${classpath}:${join(CACHE, 'classes')}`, 'StringConverterGolden'], {
  input: lines.join('\n') + '\n', encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['pipe', 'pipe', 'inherit']
})
writeFileSync(join(HERE, 'golden.jsonl'), out)

// The single-byte tables: written as a source file, and each charset's full encode/decode checked in golden.jsonl.
const tables = execFileSync('java', ['-cp', `${classpath}:${join(CACHE, 'classes')}`, 'StringConverterGolden'], {
  input: tableCases.join('\n') + '\n', encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['pipe', 'pipe', 'inherit']
}).trim().split('\n').map(l => JSON.parse(l).expected)
const esc = text => [...text].map(ch => { const u = ch.charCodeAt(0); return u >= 0x20 && u < 0x7f && ch !== "'" && ch !== '\\' ? ch : `\\u${u.toString(16).padStart(4, '0')}` }).join('')
const usable = tables.filter(t => t.singleByte && t.ascii && t.extra.every(([, b]) => b >= 0))
const source = `// Generated by test/converters/string/generate-golden.mjs from JDK 17's charsets: do not edit.
// Single-byte Java charsets whose bytes 0x00..0x7F are ASCII: the characters of bytes 0x80..0xFF (U+FFFD: the byte
// maps to nothing) and the characters Java's encoder writes as a byte that does not decode back to them.
export interface SingleByteTable { readonly name: string, readonly aliases: readonly string[], readonly high: string, readonly extra: ReadonlyArray<readonly [number, number]> }

export const SINGLE_BYTE_TABLES: readonly SingleByteTable[] = [
${usable.map(t => `  { name: '${t.canonical}', aliases: [${t.aliases.map(a => `'${a}'`).join(', ')}], high: '${esc(t.high)}', extra: [${t.extra.map(([c, b]) => `[0x${c.toString(16)}, 0x${b.toString(16)}]`).join(', ')}] }`).join(',\n')}
]
`
writeFileSync(join(ROOT, 'src', 'java', 'charset-tables.ts'), source)
process.stdout.write(`charset-tables.ts: ${usable.length} of ${tables.length} charsets (${tables.filter(t => !usable.includes(t)).map(t => t.canonical ?? t.error?.message).join(', ') || 'none'} left out)\n`)
process.stdout.write(`golden.jsonl: ${out.trim().split('\n').length} cases\n`)
