// Regenerates golden.jsonl from the real Apache classes (connect-transforms 4.3.1): resolves the jars with Maven
// into .cache/smt-golden-field/ (not checked in), compiles java/FieldSmtGolden.java and feeds it the cases below.
// Run with JDK 17 on PATH:  node test/transforms/field/generate-golden.mjs
import { writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runSmtGolden } from '../run-smt-golden.mjs'

const HERE = dirname(fileURLToPath(import.meta.url))
const ROOT = join(HERE, '..', '..', '..')
const CACHE = join(ROOT, '.cache', 'smt-golden-field')

const T = 'org.apache.kafka.connect.transforms.'
const TS = 1700000000123

// JsonConverter envelopes for inputs.
const env = (schema, payload) => ({ schema, payload })
const str = v => env({ type: 'string', optional: false }, v)
const optStr = v => env({ type: 'string', optional: true }, v)
const i64 = v => env({ type: 'int64', optional: false }, v)
const i32 = v => env({ type: 'int32', optional: false }, v)
const raw = v => env(null, v)
const f = (field, type, extra = {}) => ({ field, type, optional: false, ...extra })
const struct = (fields, payload, extra = {}) => env({ type: 'struct', optional: false, fields, ...extra }, payload)
const tsField = (name, extra = {}) => f(name, 'int64', { name: 'org.apache.kafka.connect.data.Timestamp', version: 1, ...extra })
const rec = (over = {}) => ({ topic: 'orders', partition: 3, timestamp: TS, key: null, value: str('v'), headers: [], ...over })
const sink = (over = {}) => rec({ offset: 100, ...over })

// A representative struct value: several types, an optional field with a default, a nested struct, an array.
const person = struct([
  f('id', 'int64'),
  f('name', 'string'),
  f('nick', 'string', { optional: true, default: 'anon' }),
  f('age', 'int32', { optional: true }),
  f('score', 'double'),
  f('active', 'boolean'),
  f('addr', 'struct', { optional: true, fields: [f('city', 'string'), f('zip', 'int32', { optional: true })] }),
  f('tags', 'array', { items: { type: 'string', optional: false } })
], { id: 42, name: 'ann', nick: null, age: null, score: 1.5, active: true, addr: { city: 'Oslo', zip: 150 }, tags: ['a', 'b'] },
{ name: 'com.example.Person', version: 3, doc: 'a person' })
const smap = raw({ id: 42, name: 'ann', score: 1.5, active: true, addr: { city: 'Oslo', zip: 150 }, tags: ['a', 'b'], n: null })
const nullStruct = env({ type: 'struct', optional: true, fields: [f('a', 'int32')] }, null)

const cases = []
const add = (cls, name, config, record = rec()) => cases.push({ name, class: T + cls, config, record })
const both = (base, fn) => { fn(base + '$Value', 'value'); fn(base + '$Key', 'key') }

for (const cls of ['HoistField$Value', 'InsertField$Value', 'MaskField$Value', 'ReplaceField$Value', 'ExtractField$Value', 'ValueToKey',
  'SetSchemaMetadata$Value', 'Cast$Value', 'Flatten$Value']) {
  cases.push({ name: `${cls} configdef`, class: T + cls, configdef: true })
}

// ---- HoistField
both('HoistField', (c, side) => {
  add(c, `${side} struct`, { field: 'wrapped' }, rec({ [side]: person }))
  add(c, `${side} schemaless map`, { field: 'w' }, rec({ [side]: smap }))
  add(c, `${side} primitive schema`, { field: 'x' }, rec({ [side]: i64(7) }))
  add(c, `${side} schemaless primitive`, { field: 'x' }, rec({ [side]: raw('text') }))
  add(c, `${side} null schemaless`, { field: 'x' }, rec({ [side]: null }))
})
add('HoistField$Value', 'optional null', { field: 'x' }, rec({ value: optStr(null) }))
add('HoistField$Value', 'missing field config', {}, rec())
add('HoistField$Value', 'trimmed field', { field: '  y  ' }, rec())
add('HoistField$Value', 'empty field', { field: '' }, rec())

// ---- InsertField
const allIns = { 'topic.field': '_topic', 'partition.field': '_part!', 'offset.field': '_off', 'timestamp.field': '_ts', 'static.field': '_src', 'static.value': 'app' }
const noOff = { 'topic.field': 'topic?', 'partition.field': 'part', 'timestamp.field': 'ts!', 'static.field': 'src!', 'static.value': 'app' }
both('InsertField', (c, side) => {
  add(c, `${side} struct all fields sink`, allIns, sink({ [side]: person }))
  add(c, `${side} schemaless all fields sink`, allIns, sink({ [side]: smap }))
  add(c, `${side} struct source no offset`, noOff, rec({ [side]: person }))
  add(c, `${side} schemaless source`, noOff, rec({ [side]: smap }))
})
add('InsertField$Value', 'offset on source record', { 'offset.field': 'off' }, rec({ value: smap }))
add('InsertField$Value', 'offset on source record struct', { 'offset.field': 'off' }, rec({ value: person }))
add('InsertField$Value', 'null value', allIns, sink({ value: null }))
add('InsertField$Value', 'null struct value', allIns, sink({ value: nullStruct }))
add('InsertField$Value', 'nothing configured', {}, rec())
add('InsertField$Value', 'static field without value', { 'static.field': 's' }, rec())
add('InsertField$Value', 'null partition and timestamp schemaless', noOff, rec({ partition: null, timestamp: null, value: smap }))
add('InsertField$Value', 'null timestamp optional struct', { 'timestamp.field': 'ts', 'partition.field': 'p' }, rec({ timestamp: null, value: person }))
add('InsertField$Value', 'null timestamp required struct', { 'timestamp.field': 'ts!' }, rec({ timestamp: null, value: person }))
add('InsertField$Value', 'collision struct', { 'topic.field': 'name' }, rec({ value: person }))
add('InsertField$Value', 'collision schemaless overwrites', { 'topic.field': 'name' }, rec({ value: smap }))
add('InsertField$Value', 'not a map', { 'topic.field': 't' }, rec({ value: raw(5) }))
add('InsertField$Value', 'not a struct', { 'topic.field': 't' }, rec({ value: i32(5) }))
add('InsertField$Value', 'optional struct schema', { 'topic.field': 't' }, rec({ value: env({ type: 'struct', optional: true, name: 'N', fields: [f('a', 'int32')] }, { a: 1 }) }))
add('InsertField$Value', 'replace null with default false', { 'topic.field': 't', 'replace.null.with.default': 'false' }, rec({ value: person }))
add('InsertField$Value', 'bad boolean', { 'topic.field': 't', 'replace.null.with.default': 'yes' }, rec({ value: person }))

// ---- MaskField
const masky = struct([
  f('i8', 'int8'), f('i16', 'int16'), f('i32', 'int32'), f('i64', 'int64'), f('f32', 'float'), f('f64', 'double'),
  f('b', 'boolean'), f('s', 'string'), f('arr', 'array', { items: { type: 'int32', optional: false } }),
  f('m', 'map', { keys: { type: 'string', optional: false }, values: { type: 'int32', optional: false } }),
  f('dec', 'bytes', { name: 'org.apache.kafka.connect.data.Decimal', version: 1, parameters: { scale: '0' } }),
  tsField('ts'), f('opt', 'string', { optional: true, default: 'dflt' }), f('keep', 'string')
], { i8: 1, i16: 2, i32: 3, i64: 4, f32: 1.5, f64: 2.5, b: true, s: 'secret', arr: [1, 2], m: { k: 1 }, dec: 'Dg==', ts: TS, opt: null, keep: 'k' })
both('MaskField', (c, side) => {
  add(c, `${side} struct defaults`, { fields: 'i8,i16,i32,i64,f32,f64,b,s,arr,m,dec,ts,opt' }, rec({ [side]: masky }))
  add(c, `${side} schemaless defaults`, { fields: 'id,name,score,active,tags,addr,missing' }, rec({ [side]: smap }))
})
add('MaskField$Value', 'numeric replacement', { fields: 'i8,i16,i32,i64,f32,f64', replacement: '99' }, rec({ value: masky }))
add('MaskField$Value', 'string replacement', { fields: 's', replacement: '***' }, rec({ value: masky }))
add('MaskField$Value', 'decimal replacement', { fields: 'dec', replacement: '12' }, rec({ value: masky }))
add('MaskField$Value', 'bool with replacement', { fields: 'b', replacement: 'x' }, rec({ value: masky }))
add('MaskField$Value', 'bad number replacement', { fields: 'i32', replacement: 'abc' }, rec({ value: masky }))
add('MaskField$Value', 'fraction to int replacement', { fields: 'i32', replacement: '1.9' }, rec({ value: masky }))
add('MaskField$Value', 'empty replacement', { fields: 's', replacement: '' }, rec({ value: masky }))
add('MaskField$Value', 'array with replacement', { fields: 'arr', replacement: 'x' }, rec({ value: masky }))
add('MaskField$Value', 'struct field cannot mask', { fields: 'addr' }, rec({ value: person }))
add('MaskField$Value', 'null field stays null without default', { fields: 'age,nick', 'replace.null.with.default': 'false' }, rec({ value: person }))
add('MaskField$Value', 'null field default masked', { fields: 'age,nick' }, rec({ value: person }))
add('MaskField$Value', 'tombstone', { fields: 'a' }, rec({ value: null }))
add('MaskField$Value', 'null struct', { fields: 'a' }, rec({ value: nullStruct }))
add('MaskField$Value', 'empty fields', { fields: '' }, rec({ value: smap }))
add('MaskField$Value', 'missing fields', {}, rec({ value: smap }))
add('MaskField$Value', 'schemaless replacement', { fields: 'id,name,score', replacement: '7' }, rec({ value: smap }))
add('MaskField$Value', 'schemaless null field', { fields: 'n', replacement: '7' }, rec({ value: smap }))
add('MaskField$Value', 'schemaless map value', { fields: 'addr', replacement: 'x' }, rec({ value: smap }))
add('MaskField$Value', 'unknown struct field', { fields: 'nope' }, rec({ value: person }))

// ---- ReplaceField
both('ReplaceField', (c, side) => {
  add(c, `${side} struct exclude`, { exclude: 'age,tags' }, rec({ [side]: person }))
  add(c, `${side} schemaless include rename`, { include: 'id,name,n', renames: 'id:ident,name:who' }, rec({ [side]: smap }))
})
add('ReplaceField$Value', 'struct include and rename', { include: 'id,nick,addr', renames: 'nick:alias' }, rec({ value: person }))
add('ReplaceField$Value', 'struct include and exclude', { include: 'id,name', exclude: 'name' }, rec({ value: person }))
add('ReplaceField$Value', 'struct rename default handling', { renames: 'nick:alias', 'replace.null.with.default': 'false' }, rec({ value: person }))
add('ReplaceField$Value', 'struct rename collision', { renames: 'id:name' }, rec({ value: person }))
add('ReplaceField$Value', 'schemaless rename collision', { renames: 'id:name' }, rec({ value: smap }))
add('ReplaceField$Value', 'schemaless exclude', { exclude: 'addr, tags' }, rec({ value: smap }))
add('ReplaceField$Value', 'bad rename', { renames: 'a' }, rec({ value: smap }))
add('ReplaceField$Value', 'bad rename three parts', { renames: 'a:b:c' }, rec({ value: smap }))
add('ReplaceField$Value', 'rename empty source', { renames: ':b' }, rec({ value: raw({ '': 1, a: 2 }) }))
add('ReplaceField$Value', 'rename trailing colon', { renames: 'a:' }, rec({ value: smap }))
add('ReplaceField$Value', 'null value', { exclude: 'a' }, rec({ value: null }))
add('ReplaceField$Value', 'null struct', { exclude: 'a' }, rec({ value: nullStruct }))
add('ReplaceField$Value', 'not a map', { exclude: 'a' }, rec({ value: raw([1, 2]) }))
add('ReplaceField$Value', 'nothing configured', {}, rec({ value: person }))
add('ReplaceField$Value', 'optional struct becomes required', { exclude: 'a' }, rec({ value: env({ type: 'struct', optional: true, name: 'N', version: 1, fields: [f('a', 'int32'), f('b', 'int32')] }, { a: 1, b: 2 }) }))
add('ReplaceField$Value', 'legacy blacklist ignored', { blacklist: 'id' }, rec({ value: person }))

// ---- ExtractField
both('ExtractField', (c, side) => {
  add(c, `${side} struct field`, { field: 'name' }, rec({ [side]: person }))
  add(c, `${side} schemaless field`, { field: 'addr' }, rec({ [side]: smap }))
})
add('ExtractField$Value', 'struct nested v2', { field: 'addr.city', 'field.syntax.version': 'V2' }, rec({ value: person }))
add('ExtractField$Value', 'struct nested v1 is literal', { field: 'addr.city' }, rec({ value: person }))
add('ExtractField$Value', 'struct unknown v2', { field: 'addr.nope', 'field.syntax.version': 'v2' }, rec({ value: person }))
add('ExtractField$Value', 'schemaless nested v2', { field: 'addr.zip', 'field.syntax.version': 'v2' }, rec({ value: smap }))
add('ExtractField$Value', 'schemaless nested through non-map', { field: 'name.x', 'field.syntax.version': 'V2' }, rec({ value: smap }))
add('ExtractField$Value', 'schemaless nested through null', { field: 'n.x', 'field.syntax.version': 'V2' }, rec({ value: smap }))
add('ExtractField$Value', 'schemaless missing', { field: 'nope' }, rec({ value: smap }))
add('ExtractField$Value', 'backticks', { field: '`a.b`.c', 'field.syntax.version': 'V2' }, rec({ value: raw({ 'a.b': { c: 5 }, a: { b: { c: 6 } } }) }))
add('ExtractField$Value', 'dotted v1 schemaless', { field: 'a.b' }, rec({ value: raw({ 'a.b': 1, a: { b: 2 } }) }))
add('ExtractField$Value', 'incomplete backtick', { field: '`a.b', 'field.syntax.version': 'V2' }, rec({ value: smap }))
add('ExtractField$Value', 'backtick escaped', { field: '`a\\`.b`', 'field.syntax.version': 'V2' }, rec({ value: raw({ 'a`.b': 9 }) }))
add('ExtractField$Value', 'bad syntax version', { field: 'a', 'field.syntax.version': 'V3' }, rec({ value: smap }))
add('ExtractField$Value', 'default substituted', { field: 'nick' }, rec({ value: person }))
add('ExtractField$Value', 'default not substituted', { field: 'nick', 'replace.null.with.default': 'false' }, rec({ value: person }))
add('ExtractField$Value', 'null schemaless', { field: 'a' }, rec({ value: null }))
add('ExtractField$Value', 'null struct', { field: 'a' }, rec({ value: nullStruct }))
add('ExtractField$Value', 'null struct unknown field', { field: 'zz' }, rec({ value: nullStruct }))
add('ExtractField$Value', 'not a map', { field: 'a' }, rec({ value: raw('x') }))
add('ExtractField$Value', 'not a struct', { field: 'a' }, rec({ value: str('x') }))
add('ExtractField$Value', 'unknown field struct', { field: 'zz' }, rec({ value: person }))
add('ExtractField$Value', 'missing field config', {}, rec({ value: person }))
add('ExtractField$Value', 'nested null intermediate struct', { field: 'addr.city', 'field.syntax.version': 'V2' },
  rec({ value: struct([f('addr', 'struct', { optional: true, fields: [f('city', 'string', { optional: true })] })], { addr: null }) }))

// ---- ValueToKey
const VK = 'ValueToKey'
add(VK, 'struct fields in config order', { fields: 'name,id' }, rec({ key: str('old'), value: person }))
add(VK, 'struct default substituted', { fields: 'nick,age' }, rec({ value: person }))
add(VK, 'struct default not substituted', { fields: 'nick', 'replace.null.with.default': 'false' }, rec({ value: person }))
add(VK, 'struct unknown field', { fields: 'id,zz' }, rec({ value: person }))
add(VK, 'struct duplicate field', { fields: 'id,id' }, rec({ value: person }))
add(VK, 'schemaless', { fields: 'id,name,missing' }, rec({ value: smap }))
add(VK, 'schemaless duplicate', { fields: 'id,id' }, rec({ value: smap }))
add(VK, 'tombstone', { fields: 'id' }, rec({ value: null }))
add(VK, 'null struct', { fields: 'a' }, rec({ value: nullStruct }))
add(VK, 'not a map', { fields: 'a' }, rec({ value: raw(1) }))
add(VK, 'empty fields', { fields: '' }, rec({ value: smap }))
add(VK, 'missing fields', {}, rec({ value: smap }))
add(VK, 'nested struct field', { fields: 'addr' }, rec({ value: person }))

// ---- SetSchemaMetadata
both('SetSchemaMetadata', (c, side) => {
  add(c, `${side} struct name and version`, { 'schema.name': 'new.Name', 'schema.version': '7' }, rec({ [side]: person }))
  add(c, `${side} string schema`, { 'schema.name': 'x' }, rec({ [side]: str('s') }))
  add(c, `${side} schemaless`, { 'schema.name': 'x' }, rec({ [side]: smap }))
})
add('SetSchemaMetadata$Value', 'name only keeps version', { 'schema.name': 'only.Name' }, rec({ value: person }))
add('SetSchemaMetadata$Value', 'version only keeps name', { 'schema.version': '9' }, rec({ value: person }))
add('SetSchemaMetadata$Value', 'neither', {}, rec({ value: person }))
add('SetSchemaMetadata$Value', 'bad version', { 'schema.version': 'x' }, rec({ value: person }))
add('SetSchemaMetadata$Value', 'null schemaless', { 'schema.name': 'x' }, rec({ value: null }))
add('SetSchemaMetadata$Value', 'null struct', { 'schema.name': 'x' }, rec({ value: nullStruct }))
add('SetSchemaMetadata$Value', 'replace null false', { 'schema.name': 'x', 'replace.null.with.default': 'false' }, rec({ value: person }))
add('SetSchemaMetadata$Value', 'optional struct keeps optional', { 'schema.name': 'x' }, rec({ value: env({ type: 'struct', optional: true, fields: [f('a', 'int32')] }, { a: 1 }) }))

// ---- Cast
const castIn = struct([f('i8', 'int8'), f('i32', 'int32', { optional: true, default: 5 }), f('i64', 'int64'), f('f32', 'float'),
  f('f64', 'double'), f('b', 'boolean'), f('s', 'string'), f('bs', 'bytes'), tsField('ts'), f('keep', 'string')],
{ i8: -5, i32: 300, i64: 1234567890123, f32: 2.5, f64: 300.7, b: true, s: '42', bs: 'AQID', ts: TS, keep: 'k' }, { name: 'C', version: 1 })
both('Cast', (c, side) => {
  add(c, `${side} struct fields`, { spec: 'i8:string,i32:int8,i64:float64,f32:int32,f64:int8,b:int32,s:int64,ts:int64' }, rec({ [side]: castIn }))
  add(c, `${side} schemaless fields`, { spec: 'id:string,score:int32,active:string,name:boolean,missing:int8' }, rec({ [side]: smap }))
})
add('Cast$Value', 'whole value string to int32', { spec: 'int32' }, rec({ value: str('123') }))
add('Cast$Value', 'whole value int64 to string', { spec: 'string' }, rec({ value: i64(99) }))
add('Cast$Value', 'whole value named schema keeps name', { spec: 'string' }, rec({ value: env({ type: 'int32', optional: true, name: 'my.Int', version: 2, doc: 'd' }, 1) }))
add('Cast$Value', 'bytes to string', { spec: 'bs:string' }, rec({ value: castIn }))
add('Cast$Value', 'bytes to int', { spec: 'bs:int32' }, rec({ value: castIn }))
add('Cast$Value', 'string not a number', { spec: 'keep:int32' }, rec({ value: castIn }))
add('Cast$Value', 'float to boolean and string', { spec: 'f32:boolean,f64:string' }, rec({ value: castIn }))
add('Cast$Value', 'optional default cast', { spec: 'i32:string' }, rec({ value: struct([f('i32', 'int32', { optional: true, default: 5 })], { i32: null }) }))
add('Cast$Value', 'to bytes unsupported', { spec: 'a:bytes' }, rec({ value: castIn }))
add('Cast$Value', 'unknown type', { spec: 'a:foo' }, rec({ value: castIn }))
add('Cast$Value', 'three parts', { spec: 'a:b:c' }, rec({ value: castIn }))
add('Cast$Value', 'whole plus field', { spec: 'int32,a:int8' }, rec({ value: castIn }))
add('Cast$Value', 'empty spec', { spec: '' }, rec({ value: castIn }))
add('Cast$Value', 'from struct unsupported', { spec: 'addr:string' }, rec({ value: person }))
add('Cast$Value', 'null value', { spec: 'a:int8' }, rec({ value: null }))
add('Cast$Value', 'null struct', { spec: 'a:int8' }, rec({ value: nullStruct }))
add('Cast$Value', 'schemaless whole', { spec: 'float64' }, rec({ value: raw('1e3') }))
add('Cast$Value', 'schemaless whole boolean', { spec: 'boolean' }, rec({ value: raw('TRUE') }))
add('Cast$Value', 'schemaless list unsupported', { spec: 'tags:string' }, rec({ value: smap }))
add('Cast$Value', 'case insensitive type and spaces', { spec: ' i8 : INT16 ' }, rec({ value: castIn }))
add('Cast$Value', 'trailing colon whole value', { spec: 'int8:' }, rec({ value: i32(300) }))
// Java's narrowing and parsing rules, one at a time.
const prim = (type, v, extra = {}) => env({ type, optional: false, ...extra }, v)
const dec = (scale, b64) => env({ type: 'bytes', optional: false, name: 'org.apache.kafka.connect.data.Decimal', version: 1, parameters: { scale: String(scale) } }, b64)
const castCases = [
  ['int64 wraps to int8', 'int8', prim('int64', 300)],
  ['int64 wraps to int16', 'int16', prim('int64', 70000)],
  ['int64 wraps to int32', 'int32', prim('int64', 4294967297)],
  ['negative double to int8', 'int8', prim('double', -300.7)],
  ['huge double saturates int32', 'int32', prim('double', 1e20)],
  ['huge double saturates int64', 'int64', prim('double', -1e30)],
  ['double to int16 via int', 'int16', prim('double', 1e10)],
  ['float to float64 widens', 'float64', prim('float', 0.1)],
  ['double to float32 narrows', 'float32', prim('double', 0.1)],
  ['float to string', 'string', prim('float', 0.1)],
  ['double to string exponent', 'string', prim('double', 1e10)],
  ['double small to string', 'string', prim('double', 0.0001)],
  ['int8 to string', 'string', prim('int8', -7)],
  ['boolean to int32', 'int32', prim('boolean', true)],
  ['boolean to float64', 'float64', prim('boolean', false)],
  ['boolean to string', 'string', prim('boolean', false)],
  ['half double to boolean', 'boolean', prim('double', 0.5)],
  ['int to boolean', 'boolean', prim('int32', -2)],
  ['zero to boolean', 'boolean', prim('int64', 0)],
  ['string plus sign to int32', 'int32', str('+17')],
  ['string minus to int64', 'int64', str('-9223372036854775808')],
  ['string int8 out of range', 'int8', str('128')],
  ['string with spaces to int32', 'int32', str(' 5')],
  ['string decimal to int32', 'int32', str('1.5')],
  ['string padded to float64', 'float64', str('  2.5  ')],
  ['string exponent to float32', 'float32', str('1e3')],
  ['string NaN to float64', 'float64', str('NaN')],
  ['string -Infinity to float64', 'float64', str('-Infinity')],
  ['string suffix d to float64', 'float64', str('4.5d')],
  ['string hex to float64', 'float64', str('0x1.8p1')],
  ['string junk to float64', 'float64', str('abc')],
  ['string yes to boolean', 'boolean', str('yes')],
  ['string True to boolean', 'boolean', str('True')],
  ['empty string to int8', 'int8', str('')],
  ['bytes to string base64', 'string', prim('bytes', 'AAEC/w==')],
  ['decimal to int8', 'int8', dec(2, 'AQ==')],
  ['decimal to int32 truncates', 'int32', dec(1, '/4M=')],
  ['decimal to float64', 'float64', dec(2, 'Jw8=')],
  ['decimal to string keeps logical name', 'string', dec(2, 'Jw8=')],
  ['timestamp to int64', 'int64', prim('int64', TS, { name: 'org.apache.kafka.connect.data.Timestamp', version: 1 })],
  ['date to int32', 'int32', prim('int32', 19675, { name: 'org.apache.kafka.connect.data.Date', version: 1 })],
  ['time to int64', 'int64', prim('int32', 3723004, { name: 'org.apache.kafka.connect.data.Time', version: 1 })],
  ['timestamp to string', 'string', prim('int64', TS, { name: 'org.apache.kafka.connect.data.Timestamp', version: 1 })],
  ['optional int32 with default to string', 'string', env({ type: 'int32', optional: true, default: 7 }, 3)],
  ['schemaless integer to float32', 'float32', raw(16777217)],
  ['schemaless double to int64', 'int64', raw(-2.9)],
  ['schemaless double to string', 'string', raw(2.5)],
  ['schemaless boolean to int8', 'int8', raw(true)],
  ['schemaless map whole value', 'string', raw({ a: 1 })],
  ['schemaless list whole value', 'int32', raw([1])]
]
for (const [name, spec, value] of castCases) add('Cast$Value', name, { spec }, rec({ value }))
add('Cast$Value', 'struct field missing from schema ignored', { spec: 'nope:int8,i8:int64' }, rec({ value: castIn }))
add('Cast$Value', 'replace null false keeps null', { spec: 'i32:string', 'replace.null.with.default': 'false' }, rec({ value: struct([f('i32', 'int32', { optional: true, default: 5 })], { i32: null }) }))
add('Cast$Value', 'optional struct with fields', { spec: 'a:string' }, rec({ value: env({ type: 'struct', optional: true, fields: [f('a', 'int32'), f('b', 'int32', { optional: true })], name: 'S', doc: 'doc' }, { a: 1, b: null }) }))
add('Cast$Value', 'unknown whole value type', { spec: 'foo' }, rec({ value: castIn }))
add('Cast$Value', 'leading colon field name empty', { spec: ':int8' }, rec({ value: raw({ '': 5 }) }))
add('Cast$Value', 'schemaless string field to int8 fails', { spec: 'name:int8' }, rec({ value: smap }))
add('Cast$Value', 'schemaless bytes-like string field to string', { spec: 'score:string' }, rec({ value: smap }))
add('Cast$Key', 'key whole value', { spec: 'int16' }, rec({ key: str('12') }))

// ---- Flatten
both('Flatten', (c, side) => {
  add(c, `${side} struct`, {}, rec({ [side]: person }))
  add(c, `${side} schemaless`, { delimiter: '_' }, rec({ [side]: raw({ a: { b: { c: 1 } }, arr: [{ x: 1 }], n: null, z: 'z', m: { y: 2, e: {} } }) }))
})
add('Flatten$Value', 'optional parent makes leaves optional', {}, rec({ value: struct([f('p', 'struct', { optional: true, fields: [f('x', 'int32'), f('y', 'string', { default: 'dy' })] }), f('q', 'int32')], { p: { x: 1, y: 'yy' }, q: 2 }) }))
add('Flatten$Value', 'null nested struct', {}, rec({ value: struct([f('p', 'struct', { optional: true, fields: [f('x', 'int32', { optional: true })] }), f('q', 'int32')], { p: null, q: 2 }) }))
add('Flatten$Value', 'map field unsupported', {}, rec({ value: struct([f('m', 'map', { keys: { type: 'string', optional: false }, values: { type: 'int32', optional: false } })], { m: { a: 1 } }) }))
add('Flatten$Value', 'collision', {}, rec({ value: struct([f('a.b', 'int32'), f('a', 'struct', { fields: [f('b', 'int32')] })], { 'a.b': 1, a: { b: 2 } }) }))
add('Flatten$Value', 'delimiter trimmed empty', { delimiter: ' ' }, rec({ value: raw({ a: { b: 1 } }) }))
add('Flatten$Value', 'null value', {}, rec({ value: null }))
add('Flatten$Value', 'null struct', {}, rec({ value: nullStruct }))
add('Flatten$Value', 'not a map', {}, rec({ value: raw('x') }))
add('Flatten$Value', 'optional top level', { delimiter: '-' }, rec({ value: env({ type: 'struct', optional: true, name: 'Top', fields: [f('a', 'int32'), f('s', 'struct', { fields: [tsField('t')] })] }, { a: 1, s: { t: TS } }) }))
add('Flatten$Value', 'primitive schema', {}, rec({ value: str('x') }))

const out = runSmtGolden({ cacheDir: CACHE, artifactId: 'smt-golden-field', source: join(HERE, 'java', 'FieldSmtGolden.java'), mainClass: 'FieldSmtGolden', cases })
writeFileSync(join(HERE, 'golden.jsonl'), out)
process.stdout.write(`golden.jsonl: ${out.trim().split('\n').length} cases\n`)
