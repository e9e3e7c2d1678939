// Regenerates golden.jsonl from the real JDK and Apache 4.3.1 classes: java.util.HashMap iteration order (including
// early resizes and tree buckets of colliding keys), JsonConverter maps, schemaless SMT chains, MaskField replacements
// and the list validators. Resolves the jars with Maven into .cache/smt-golden-hashmap/ (not checked in).
// Run with JDK 17 on PATH:  node test/transforms/hashmap/generate-golden.mjs
import { writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runSmtGolden } from '../run-smt-golden.mjs'

const HERE = dirname(fileURLToPath(import.meta.url))
const ROOT = join(HERE, '..', '..', '..')
const CACHE = join(ROOT, '.cache', 'smt-golden-hashmap')

const cases = []
const range = (n, f) => Array.from({ length: n }, (_, i) => f(i))
// A fixed shuffle (a linear congruential generator), so the file is the same on every run.
function shuffled (list, seed) {
  const out = [...list]
  let s = seed
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0
    const j = s % (i + 1)
    ;[out[i], out[j]] = [out[j], out[i]]
  }
  return out
}
// Strings with equal String.hashCode: every word of n pairs of "Aa" / "BB".
const collisions = n => range(2 ** n, i => range(n, b => (i >> b) & 1 ? 'BB' : 'Aa').join(''))

// ---- 1. HashMap iteration order, straight from java.util.HashMap
const order = (name, keyType, keys, creation = 'default', capacity) => cases.push({ kind: 'order', name, keyType, keys, creation, ...(capacity === undefined ? {} : { capacity }) })
order('string keys, default table', 'string', ['id', 'amount', 'ts', 'zeta', 'alpha', 'inner', 'tsStr', '_topic', '_part', '_off', '_ts', '_src'])
order('13 string keys grow the table to 32', 'string', range(13, i => `field${i}`))
order('100 string keys', 'string', range(100, i => `key_${i * 7}`))
for (const n of [1, 2, 3, 5, 7, 13]) order(`sized for ${n} (ValueToKey)`, 'string', shuffled(['c', 'b', 'a', 'id', 'name', 'zz', 'order_id', 'x1', 'x2', 'Aa', 'BB', 'k', 'q'], n).slice(0, n), 'capacity', n)
for (const n of [6, 12, 13, 24, 25, 48]) order(`copy of ${n} keys`, 'string', range(n, i => `f${(i * 37) % 101}`), 'copy')
order('9 equal-hash strings (early resize, then tree)', 'string', collisions(4).slice(0, 9))
order('16 equal-hash strings', 'string', collisions(4))
order('16 equal-hash strings, shuffled', 'string', shuffled(collisions(4), 7))
order('64 equal-hash strings, shuffled', 'string', shuffled(collisions(6), 11))
order('128 equal-hash strings and others', 'string', shuffled([...collisions(7), ...range(40, i => `other${i}`)], 3))
order('equal-hash strings, copy', 'string', shuffled(collisions(5), 5), 'copy')
order('equal-hash strings, sized', 'string', shuffled(collisions(5), 9), 'capacity', 32)
order('doubles 1..100 (tree buckets)', 'double', range(100, i => i + 1))
order('doubles 100..1', 'double', range(100, i => 100 - i))
order('powers of two (one bucket, early resizes)', 'double', range(30, i => 2 ** i))
order('halves', 'double', range(80, i => i / 2))
order('doubles shuffled', 'double', shuffled(range(200, i => i * 3 - 100), 13))
order('doubles with -0.0 and NaN', 'double', ['-0.0', 0, 'NaN', 1, -1, 'Infinity', '-Infinity', 2, 3, 4, 8, 16, 32, 64, 128, 256, 512])
order('floats 1..100', 'float', range(100, i => i + 1))
order('longs spaced 2^36 (one bucket)', 'long', range(40, i => String(BigInt(i) << 36n)))
order('longs 0..199 shuffled', 'long', shuffled(range(200, i => i), 17))
order('ints in one bucket of 64', 'int', range(20, i => i * 64))

// ---- 1. JsonConverter maps
const json = (name, input, config = { 'schemas.enable': 'false' }) => cases.push({ kind: 'json', name, input, config })
const env = (schema, payload) => JSON.stringify({ schema, payload })
const mapOf = (keyType, valueType = 'string', extra = {}) => ({ type: 'map', optional: false, keys: { type: keyType, optional: false, ...extra }, values: { type: valueType, optional: true } })
const S = { 'schemas.enable': 'true' }
json('schemaless object', '{"zeta":1,"amount":2,"id":3,"alpha":4,"_topic":5,"ts":6}')
json('schemaless nested objects', '{"b":{"y":1,"x":2,"w":{"q":1,"p":2}},"a":[{"k2":1,"k1":2}]}')
json('schemaless 40 keys', JSON.stringify(Object.fromEntries(range(40, i => [`c${(i * 13) % 41}`, i]))))
json('schemaless equal-hash keys', JSON.stringify(Object.fromEntries(shuffled(collisions(5), 21).map((k, i) => [k, i]))))
json('schemaless duplicate key', '{"b":1,"a":2,"b":3}')
json('string keys with schema', env(mapOf('string'), { zeta: 'z', amount: 'a', id: 'i', alpha: 'x' }), S)
json('int8 keys', env(mapOf('int8'), [[5, 'a'], [-1, 'b'], [17, 'c'], [1, 'd'], [16, 'e']]), S)
json('int16 keys', env(mapOf('int16'), [[300, 'a'], [-300, 'b'], [44, 'c'], [12, 'd']]), S)
json('int32 keys', env(mapOf('int32'), [[100000, 'a'], [-1, 'b'], [65536, 'c'], [0, 'd'], [16, 'e']]), S)
json('int64 keys', env(mapOf('int64'), [[4294967296, 'a'], [-1, 'b'], [1, 'c'], ['$BIG1', 'd'], ['$BIG2', 'e']]).replace('"$BIG1"', '9007199254740993').replace('"$BIG2"', '-9223372036854775808'), S)
json('int64 keys in one bucket', env(mapOf('int64'), range(12, i => [Number(BigInt(i) << 36n), `v${i}`])), S)
json('float32 keys', env(mapOf('float'), [[1.5, 'a'], [-2.25, 'b'], [0.1, 'c'], [100, 'd'], [3, 'e']]), S)
json('float64 keys', env(mapOf('double'), [[1.5, 'a'], [-2.25, 'b'], [0.1, 'c'], [100, 'd'], [3, 'e'], [1e300, 'f']]), S)
json('float64 keys 1..70 (tree buckets)', env(mapOf('double'), range(70, i => [i + 1, `v${i}`])), S)
json('float32 keys 1..70', env(mapOf('float'), shuffled(range(70, i => [i + 1, `v${i}`]), 2)), S)
json('boolean keys', env(mapOf('boolean'), [[true, 'a'], [false, 'b']]), S)
json('array keys', env(mapOf('array', 'string', { items: { type: 'int32', optional: false } }), [[[3, 1], 'a'], [[1], 'b'], [[], 'c'], [[2, 2], 'd'], [[7], 'e']]), S)
json('array keys, equal arrays merge', env(mapOf('array', 'string', { items: { type: 'int32', optional: false } }), [[[1, 2], 'a'], [[3], 'b'], [[1, 2], 'c']]), S)
json('string array keys', env(mapOf('array', 'int32', { items: { type: 'string', optional: true } }), [[['b', 'a'], 1], [['x'], 2], [[null], 3], [['a', 'b'], 4]]), S)
json('map keys', env(mapOf('map', 'string', { keys: { type: 'string', optional: false }, values: { type: 'int32', optional: false } }), [[{ a: 1 }, 'x'], [{ b: 2, a: 1 }, 'y'], [{}, 'z'], [{ z: 26 }, 'w']]), S)
json('map keys, equal maps merge', env(mapOf('map', 'string', { keys: { type: 'string', optional: false }, values: { type: 'int32', optional: false } }), [[{ a: 1, b: 2 }, 'x'], [{ b: 2, a: 1 }, 'y']]), S)
json('optional int32 keys with null', env({ type: 'map', optional: false, keys: { type: 'int32', optional: true }, values: { type: 'string', optional: true } }, [[5, 'a'], [null, 'b'], [16, 'c']]), S)
json('timestamp keys', env(mapOf('int64', 'string', { name: 'org.apache.kafka.connect.data.Timestamp', version: 1 }), [[1700000000123, 'a'], [0, 'b'], [86400000, 'c'], [-1000, 'd']]), S)
json('date keys', env(mapOf('int32', 'string', { name: 'org.apache.kafka.connect.data.Date', version: 1 }), [[19000, 'a'], [0, 'b'], [1, 'c'], [-5, 'd']]), S)
json('decimal keys', env(mapOf('bytes', 'string', { name: 'org.apache.kafka.connect.data.Decimal', version: 1, parameters: { scale: '2' } }), [['AQ==', 'a'], ['/w==', 'b'], ['AMg=', 'c'], ['A+g=', 'd']]), S)
json('numeric decimal keys', env(mapOf('bytes', 'string', { name: 'org.apache.kafka.connect.data.Decimal', version: 1, parameters: { scale: '1' } }), [[1.5, 'a'], [-300.2, 'b'], ['$BIG', 'c'], [0, 'd']]).replace('"$BIG"', '12345678901234567890.1'), { 'schemas.enable': 'true', 'decimal.format': 'NUMERIC' })

// ---- 3. Surrogate escapes (Jackson refuses unpaired ones in names; values?)
json('unpaired high surrogate in a key', '{"\\ud800": 1}')
json('unpaired low surrogate in a key', '{"\\udc00x": 1}')
json('reversed pair in a key', '{"\\udc00\\ud800": 1}')
json('high surrogate at the end of a key', '{"ab\\ud83d": 1}')
json('paired surrogates in a key', '{"\\ud83d\\ude80": 1}')
json('unpaired high surrogate in a value', '{"a": "\\ud800"}')
json('unpaired low surrogate in a value', '"x\\udc00y"')
json('unpaired surrogate in a nested key', '{"a": {"\\ud800": 1}}')
json('unpaired surrogate in a key with schema', env(mapOf('string'), { '\ud800': 'x' }), S)
json('unpaired surrogate in an envelope field name', '{"schema":null,"payload":{"\\udbff":1}}', S)

// ---- 1, 2, 5. Schemaless SMT chains
const smt = (name, chain, value, extra = {}) => cases.push({ kind: 'smt', name, chain: chain.map(([cls, config]) => ({ class: cls, config })), value, key: null, ...extra })
const wide = JSON.stringify(Object.fromEntries(range(20, i => [`f${(i * 7) % 23}`, i])))
const person = '{"id":42,"name":"ann","zip":"0150","email":"a@b","age":30,"score":1.5,"ok":true,"tags":["x"],"addr":{"city":"Oslo","zip":150}}'
smt('ValueToKey three fields', [['ValueToKey', { fields: 'name,id,zip' }]], person)
smt('ValueToKey fields in another order', [['ValueToKey', { fields: 'zip,id,name' }]], person)
smt('ValueToKey five fields', [['ValueToKey', { fields: 'email,ok,age,score,id' }]], person)
smt('ValueToKey 13 fields', [['ValueToKey', { fields: range(13, i => `f${(i * 7) % 23}`).join(',') }]], wide)
smt('ValueToKey equal-hash fields', [['ValueToKey', { fields: 'BBBB,AaAa,BBAa,AaBB' }]], '{"AaAa":1,"BBBB":2,"AaBB":3,"BBAa":4}')
smt('ValueToKey missing fields', [['ValueToKey', { fields: 'q,p,id' }]], person)
smt('ValueToKey duplicated field', [['ValueToKey', { fields: 'id,name,id' }]], person)
smt('ValueToKey empty field name', [['ValueToKey', { fields: 'id,,name' }]], person)
smt('ReplaceField rename and exclude', [['ReplaceField$Value', { exclude: 'email', renames: 'id:_id,name:fullName' }]], person)
smt('ReplaceField include', [['ReplaceField$Value', { include: 'zip,tags,age,name' }]], person)
smt('ReplaceField duplicated include', [['ReplaceField$Value', { include: 'zip,zip' }]], person)
smt('ReplaceField duplicated exclude', [['ReplaceField$Value', { exclude: 'a,b,a' }]], person)
smt('ReplaceField empty exclude entry', [['ReplaceField$Value', { exclude: 'a,,b' }]], person)
smt('InsertField static and topic', [['InsertField$Value', { 'static.field': 'src', 'static.value': 'app', 'topic.field': '_topic', 'partition.field': 'p' }]], person)
smt('InsertField into 11 keys (table grows)', [['InsertField$Value', { 'static.field': 'zzz', 'static.value': 'v', 'topic.field': 't', 'partition.field': 'p' }]], JSON.stringify(Object.fromEntries(range(11, i => [`k${i}`, i]))))
// New keys go in in the order Kafka iterates its own collections: MaskField's HashSet of fields, Cast's HashMap of the
// spec; that decides their order inside a bucket of a small table.
smt('MaskField missing fields, set order', [['MaskField$Value', { fields: 'e,a' }]], '{"z":1}')
smt('MaskField missing fields, many', [['MaskField$Value', { fields: 'q,e,a,u,i,Q' }]], '{"z":1}')
smt('Cast missing fields, spec map order', [['Cast$Value', { spec: 'e:int8,a:int8' }]], '{"z":1}')
smt('Cast missing fields, many', [['Cast$Value', { spec: 'q:string,e:int8,a:int16,u:string,i:boolean,Q:int64' }]], '{"z":1}')
smt('InsertField into a one-key map', [['InsertField$Value', { 'static.field': 'e', 'static.value': 'v', 'topic.field': 'a', 'partition.field': 'q', 'timestamp.field': 'u' }]], '{"z":1}')
smt('HeaderFrom headers into a one-key map', [['HeaderFrom$Value', { fields: 'e,a', headers: 'x1,x2', operation: 'copy' }]], '{"z":1}',
  { headers: [{ key: 'x1', value: '1' }, { key: 'x2', value: '2' }] })
smt('MaskField keeps order', [['MaskField$Value', { fields: 'name,age,missing' }]], person)
smt('Cast several fields', [['Cast$Value', { spec: 'age:string,id:float64,ok:int8,newf:int32' }]], person)
smt('Flatten nested maps', [['Flatten$Value', { delimiter: '.' }]], '{"z":{"b":1,"a":{"y":2,"x":3}},"m":1,"c":{"q":[1],"p":null}}')
smt('HoistField then ValueToKey', [['HoistField$Value', { field: 'wrapped' }], ['InsertField$Value', { 'static.field': 'a', 'static.value': 'b' }]], person)
smt('ExtractField nested map', [['ExtractField$Value', { field: 'addr' }]], person)
smt('TimestampConverter field', [['TimestampConverter$Value', { field: 'ts', 'target.type': 'string', format: 'yyyy' }]], '{"ts":1700000000000,"b":1,"a":2,"zeta":3}')
smt('HeaderFrom move', [['HeaderFrom$Value', { fields: 'name,id', headers: 'h1,h2', operation: 'move' }]], person)
smt('HeaderFrom header into value', [['HeaderFrom$Value', { fields: 'hb,ha', headers: 'x1,x2', operation: 'copy' }]], person,
  { headers: [{ key: 'x1', value: '{"y":1,"b":2,"a":3}' }, { key: 'x2', value: '7' }] })
smt('HeaderFrom duplicated fields', [['HeaderFrom$Value', { fields: 'a,a', headers: 'h1,h2', operation: 'copy' }]], person)

// ---- 4. List validators
smt('DropHeaders duplicated', [['DropHeaders', { headers: 'a,a' }]], person)
smt('DropHeaders duplicated with spaces', [['DropHeaders', { headers: 'a, b ,a' }]], person)
smt('DropHeaders empty entry', [['DropHeaders', { headers: 'a,,b' }]], person)
smt('DropHeaders empty', [['DropHeaders', { headers: '' }]], person)
smt('DropHeaders only a comma', [['DropHeaders', { headers: ',' }]], person)
smt('DropHeaders distinct', [['DropHeaders', { headers: 'x1,x2' }]], person, { headers: [{ key: 'x1', value: '1' }, { key: 'x3', value: '3' }, { key: 'x2', value: '2' }] })
smt('MaskField duplicated', [['MaskField$Value', { fields: 'name,name' }]], person)
smt('MaskField empty entry', [['MaskField$Value', { fields: 'name,' }]], person)
smt('Cast duplicated spec field', [['Cast$Value', { spec: 'age:string,age:int8' }]], person)

const validate = (name, cls, config) => cases.push({ kind: 'validate', name, class: cls, config })
validate('DropHeaders duplicated', 'DropHeaders', { headers: 'a,a' })
validate('DropHeaders duplicated with spaces', 'DropHeaders', { headers: 'a, b ,a' })
validate('DropHeaders empty entry', 'DropHeaders', { headers: 'a,,b' })
validate('DropHeaders only a comma', 'DropHeaders', { headers: ',' })
validate('DropHeaders empty', 'DropHeaders', { headers: '' })
validate('DropHeaders distinct', 'DropHeaders', { headers: 'a,b' })
validate('MaskField duplicated', 'MaskField$Value', { fields: 'a,b,a' })
validate('ValueToKey duplicated', 'ValueToKey', { fields: 'id,id' })
validate('ReplaceField duplicated exclude', 'ReplaceField$Value', { exclude: 'x,x' })
validate('ReplaceField duplicated include', 'ReplaceField$Value', { include: 'x,y,y' })
validate('ReplaceField empty include', 'ReplaceField$Value', { include: '' })
validate('HeaderFrom duplicated fields', 'HeaderFrom$Value', { fields: 'a,a', headers: 'h1,h2', operation: 'copy' })
validate('Cast duplicated spec', 'Cast$Value', { spec: 'a:int8,a:int16' })

// ---- 2. MaskField replacements (schemaless: Long, Double, String, Boolean; with a schema: every primitive)
const masks = ['9223372036854775807', '-9223372036854775808', '9223372036854775808', '18446744073709551617', '300', '-129', '1.9', '-1.9', '1e3', '1E+2', '2.5e-1',
  '1e19', '0.5e1', '+7', '.5', '5.', ' 1', '1_000', '0x10', 'NaN', 'Infinity', '1e400', '-0', '-0.0', '3.4028235677973366e38', '123456789012345678901234567890', 'abc']
for (const r of masks) smt(`MaskField schemaless replacement ${r}`, [['MaskField$Value', { fields: 'l,d', replacement: r }]], '{"l":1,"d":0.5,"s":"x"}')
smt('MaskField schemaless string replacement', [['MaskField$Value', { fields: 's', replacement: '***' }]], '{"l":1,"d":0.5,"s":"x"}')
smt('MaskField schemaless boolean replacement', [['MaskField$Value', { fields: 'b', replacement: '1' }]], '{"b":true}')
smt('MaskField schemaless no replacement', [['MaskField$Value', { fields: 'l,d,s,b,a,m,n' }]], '{"l":1,"d":0.5,"s":"x","b":true,"a":[1],"m":{"k":1},"n":null}')
const typed = (type, value, extra = {}) => ({ field: 'f', type, optional: false, ...extra, _v: value })
const structOf = fields => JSON.stringify({ schema: { type: 'struct', optional: false, fields: fields.map(({ _v, ...f }) => f) }, payload: Object.fromEntries(fields.map(f => [f.field, f._v])) })
const withSchema = (name, field, replacement) => cases.push({ kind: 'smt', name, schemas: true, chain: [{ class: 'MaskField$Value', config: { fields: 'f', ...(replacement === undefined ? {} : { replacement }) } }], value: structOf([field]), key: null })
for (const r of ['300', '-129', '127', '1.9', '9223372036854775807', '1e3', 'x']) withSchema(`MaskField int8 replacement ${r}`, typed('int8', 1), r)
for (const r of ['70000', '-32769']) withSchema(`MaskField int16 replacement ${r}`, typed('int16', 1), r)
for (const r of ['4294967297', '2147483648', '-2147483649']) withSchema(`MaskField int32 replacement ${r}`, typed('int32', 1), r)
for (const r of ['9223372036854775807', '-9223372036854775808', '9223372036854775809', '12345678901234567']) withSchema(`MaskField int64 replacement ${r}`, typed('int64', 1), r)
for (const r of ['0.1', '16777217', '1e39', '3.4028235e38', '1e-50', '-0']) withSchema(`MaskField float32 replacement ${r}`, typed('float', 1.5), r)
for (const r of ['0.1', '1e400', '2', '-0.0']) withSchema(`MaskField float64 replacement ${r}`, typed('double', 1.5), r)
const dec = (scale) => ({ name: 'org.apache.kafka.connect.data.Decimal', version: 1, parameters: { scale: String(scale) } })
for (const r of ['1.50', '1.5', '7', '1e2', ' 1.00', 'abc']) withSchema(`MaskField decimal replacement ${r}`, typed('bytes', 'AJY=', dec(2)), r)
withSchema('MaskField decimal no replacement', typed('bytes', 'AJY=', dec(2)))
withSchema('MaskField date replacement', typed('int32', 19000, { name: 'org.apache.kafka.connect.data.Date', version: 1 }), '5')
withSchema('MaskField date no replacement', typed('int32', 19000, { name: 'org.apache.kafka.connect.data.Date', version: 1 }))
withSchema('MaskField timestamp replacement', typed('int64', 1700000000000, { name: 'org.apache.kafka.connect.data.Timestamp', version: 1 }), '5')
withSchema('MaskField boolean replacement', typed('boolean', true), 'false')
withSchema('MaskField boolean no replacement', typed('boolean', true))
withSchema('MaskField bytes no replacement', typed('bytes', 'AQI='))
withSchema('MaskField string replacement', typed('string', 'secret'), '***')

// ---- 5. TimestampConverter on the Java classes a schemaless value can have
const tc = (name, chain, value) => smt(name, [...chain, ['TimestampConverter$Value', { field: 'ts', 'target.type': 'Timestamp' }]], value)
tc('TimestampConverter schemaless Long', [], '{"ts":1700000000000}')
tc('TimestampConverter schemaless small Long', [], '{"ts":123}')
tc('TimestampConverter schemaless Double', [], '{"ts":1.5}')
tc('TimestampConverter schemaless integral Double', [], '{"ts":123.0}')
tc('TimestampConverter schemaless exponent Double', [], '{"ts":1e3}')
tc('TimestampConverter schemaless Boolean', [], '{"ts":true}')
tc('TimestampConverter schemaless huge Double', [], '{"ts":1e300}')
tc('TimestampConverter schemaless Double beyond 2^53', [], '{"ts":9007199254740993.0}')
tc('TimestampConverter schemaless Double beyond 2^63', [], '{"ts":-1e19}')
tc('TimestampConverter schemaless Long beyond 2^53', [], '{"ts":9007199254740993}')
tc('TimestampConverter schemaless negative Long', [], '{"ts":-86400001}')
tc('TimestampConverter schemaless negative zero Double', [], '{"ts":-0.0}')
smt('TimestampConverter whole schemaless huge Double', [['TimestampConverter$Value', { 'target.type': 'unix' }]], '1.5e300')
tc('TimestampConverter schemaless map', [], '{"ts":{"a":1}}')
tc('TimestampConverter after Cast to int32', [['Cast$Value', { spec: 'ts:int32' }]], '{"ts":123}')
tc('TimestampConverter after Cast to int8', [['Cast$Value', { spec: 'ts:int8' }]], '{"ts":12}')
tc('TimestampConverter after Cast to int64', [['Cast$Value', { spec: 'ts:int64' }]], '{"ts":"123"}')
tc('TimestampConverter after Cast to float32', [['Cast$Value', { spec: 'ts:float32' }]], '{"ts":123}')
smt('TimestampConverter whole schemaless Long', [['TimestampConverter$Value', { 'target.type': 'unix', 'unix.precision': 'seconds' }]], '1700000000000')
smt('TimestampConverter whole schemaless after Cast int16', [['Cast$Value', { spec: 'int16' }], ['TimestampConverter$Value', { 'target.type': 'unix' }]], '1000')
smt('TimestampConverter whole schemaless Double', [['TimestampConverter$Value', { 'target.type': 'unix' }]], '1000.0')

const out = runSmtGolden({ cacheDir: CACHE, artifactId: 'smt-golden-hashmap', source: join(HERE, 'java', 'HashMapGolden.java'), mainClass: 'HashMapGolden', cases })
writeFileSync(join(HERE, 'golden.jsonl'), out)
console.log(`${out.trim().split('\n').length} cases written`)
