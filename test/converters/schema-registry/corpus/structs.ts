/**
 * Structs: nesting, unnamed and reused structs, struct defaults, schema metadata (name, version, doc, parameters),
 * names that need scrubbing, and Confluent's Connect encodings of Avro enums and unions.
 */
import { SchemaBuilder, Schemas, type Schema } from '../../../../src/api/index.ts'
import { struct, type CorpusEntry } from './entry.ts'

const entries: CorpusEntry[] = []

const address = SchemaBuilder.struct().name('com.example.Address')
  .field('street', Schemas.STRING).field('city', Schemas.STRING).field('zip', Schemas.OPTIONAL_STRING).build()
const person = SchemaBuilder.struct().name('com.example.Person')
  .field('name', Schemas.STRING).field('age', Schemas.INT32).field('address', address)
  .field('previous', SchemaBuilder.struct().name('com.example.OldAddress').field('street', Schemas.STRING).optional().build())
  .build()
const old = person.fields![3]!.schema
entries.push({
  name: 'nested struct, required and optional',
  schema: person,
  values: [
    struct(person, { name: 'Ann', age: 30, address: struct(address, { street: '1 Main St', city: 'Springfield', zip: '12345' }), previous: struct(old, { street: 'Elm' }) }),
    struct(person, { name: 'Bob', age: 0, address: struct(address, { street: '', city: 'X' }), previous: null })
  ]
})

const level3 = SchemaBuilder.struct().name('com.example.Level3').field('leaf', Schemas.STRING).build()
const level2 = SchemaBuilder.struct().name('com.example.Level2').field('l3', level3).field('n', Schemas.INT64).build()
const level1 = SchemaBuilder.struct().name('com.example.Level1').field('l2', level2).field('l2_list', SchemaBuilder.array(level2).build()).build()
entries.push({
  name: 'three levels of nesting with a list of the middle level',
  schema: level1,
  values: [struct(level1, {
    l2: struct(level2, { l3: struct(level3, { leaf: 'a' }), n: 1 }),
    l2_list: [struct(level2, { l3: struct(level3, { leaf: 'b' }), n: 2 }), struct(level2, { l3: struct(level3, { leaf: 'c' }), n: 3 })]
  })],
  tags: ['named-struct-reuse']
})

const unnamedInner = SchemaBuilder.struct().field('a', Schemas.INT32).build()
const unnamedOther = SchemaBuilder.struct().field('b', Schemas.STRING).build()
const unnamedOuter = SchemaBuilder.struct().field('inner', unnamedInner).field('other', unnamedOther).field('opt', SchemaBuilder.struct().field('c', Schemas.BOOLEAN).optional().build()).build()
entries.push({
  name: 'unnamed structs at every level (ConnectDefault names)',
  schema: unnamedOuter,
  values: [
    struct(unnamedOuter, { inner: struct(unnamedInner, { a: 1 }), other: struct(unnamedOther, { b: 'x' }), opt: null }),
    struct(unnamedOuter, { inner: struct(unnamedInner, { a: 2 }), other: struct(unnamedOther, { b: '' }), opt: struct(unnamedOuter.fields![2]!.schema, { c: true }) })
  ]
})

const flat = SchemaBuilder.struct().field('id', Schemas.INT64).field('label', Schemas.OPTIONAL_STRING).build()
entries.push({ name: 'unnamed flat struct', schema: flat, values: [struct(flat, { id: 1, label: 'one' }), struct(flat, { id: 2 })] })

const twice = SchemaBuilder.struct().name('com.example.Route').field('from', address).field('to', address).field('via', SchemaBuilder.array(address).optional().build()).build()
entries.push({
  name: 'one named struct in two fields and an array',
  schema: twice,
  values: [struct(twice, { from: struct(address, { street: 'a', city: 'b' }), to: struct(address, { street: 'c', city: 'd', zip: 'e' }), via: [struct(address, { street: 'f', city: 'g' })] })],
  tags: ['named-struct-reuse']
})

const empty = SchemaBuilder.struct().name('com.example.Empty').build()
const holdsEmpty = SchemaBuilder.struct().name('com.example.HoldsEmpty').field('nothing', empty).field('n', Schemas.INT32).build()
entries.push({ name: 'empty struct top-level', schema: empty, values: [struct(empty, {})], tags: ['empty-struct'] })
entries.push({ name: 'empty struct as a field', schema: holdsEmpty, values: [struct(holdsEmpty, { nothing: struct(empty, {}), n: 1 })], tags: ['empty-struct'] })

const optionalTop = SchemaBuilder.struct().name('com.example.MaybeRecord').field('a', Schemas.STRING).optional().build()
entries.push({ name: 'optional struct top-level', schema: optionalTop, values: [struct(optionalTop, { a: 'x' }), null], tags: ['top-level-optional'] })

const pointDefault = SchemaBuilder.struct().name('com.example.DefaultPoint').field('x', Schemas.INT32).field('y', Schemas.INT32).build()
const pointWithDefault = SchemaBuilder.struct().name('com.example.DefaultPoint').field('x', Schemas.INT32).field('y', Schemas.INT32)
  .defaultValue(struct(pointDefault, { x: 1, y: 2 })).build()
const holdsDefault = SchemaBuilder.struct().name('com.example.Shape').field('origin', pointWithDefault).field('sides', SchemaBuilder.int32().defaultValue(4).build()).build()
entries.push({
  name: 'struct field with a struct default',
  schema: holdsDefault,
  values: [struct(holdsDefault, { origin: struct(pointWithDefault, { x: 5, y: 6 }), sides: 3 })],
  tags: ['defaults']
})

const meta = SchemaBuilder.struct().name('com.example.meta.Documented').version(3).doc('A documented record')
  .parameter('owner', 'team-a').parameter('pii', 'false')
  .field('id', SchemaBuilder.int64().doc('the identifier').build())
  .field('note', SchemaBuilder.string().optional().doc('free text').parameter('maxLength', '200').build())
  .field('code', SchemaBuilder.string().name('com.example.meta.Code').version(2).build())
  .build()
entries.push({
  name: 'schema name, version, doc and parameters on the struct and its fields',
  schema: meta,
  values: [struct(meta, { id: 1, note: 'hello', code: 'C1' }), struct(meta, { id: 2, note: null, code: '' })],
  tags: ['schema-meta']
})
entries.push({ name: 'named string top-level with version and doc', schema: SchemaBuilder.string().name('com.example.Sku').version(1).doc('stock keeping unit').build(), values: ['A-1'], tags: ['top-level-primitive', 'schema-meta'] })
entries.push({ name: 'int32 top-level with parameters', schema: SchemaBuilder.int32().parameter('unit', 'ms').parameter('source', 'sensor-1').build(), values: [5], tags: ['top-level-primitive', 'schema-meta'] })
const simple = SchemaBuilder.struct().name('Simple').field('v', Schemas.INT32).build()
entries.push({ name: 'struct name without a namespace', schema: simple, values: [struct(simple, { v: 1 })] })

const scrubRecord = (name: string, fieldName: string): Schema => SchemaBuilder.struct().name(name).field(fieldName, Schemas.STRING).build()
for (const [name, fieldName] of [['my-record', 'first-name'], ['a.b-c', '1st'], ['1st', 'ok_field'], ['com.example.Good', 'has space'], ['com.example.Good2', 'dotted.name']]) {
  const schema = scrubRecord(name!, fieldName!)
  entries.push({ name: `names that need scrubbing: record '${name}', field '${fieldName}'`, schema, values: [struct(schema, { [fieldName!]: 'v' })], tags: ['needs-scrub'] })
}
const badNested = SchemaBuilder.struct().name('com.example.Outer').field('inner-record', SchemaBuilder.struct().name('com.example.in-ner').field('9lives', Schemas.INT32).build()).build()
entries.push({
  name: 'names that need scrubbing in a nested struct',
  schema: badNested,
  values: [struct(badNested, { 'inner-record': struct(badNested.fields![0]!.schema, { '9lives': 9 }) })],
  tags: ['needs-scrub']
})

// Confluent's AvroData reads an Avro enum as a STRING carrying the enum's name and symbols in parameters.
const color = SchemaBuilder.string().name('com.example.Color')
  .parameter('io.confluent.connect.avro.Enum', 'com.example.Color')
  .parameter('io.confluent.connect.avro.Enum.RED', 'RED').parameter('io.confluent.connect.avro.Enum.GREEN', 'GREEN').parameter('io.confluent.connect.avro.Enum.BLUE', 'BLUE')
  .build()
const painted = SchemaBuilder.struct().name('com.example.Painted').field('color', color).field('maybe_color', SchemaBuilder.string().name('com.example.Shade')
  .parameter('io.confluent.connect.avro.Enum', 'com.example.Shade').parameter('io.confluent.connect.avro.Enum.LIGHT', 'LIGHT').parameter('io.confluent.connect.avro.Enum.DARK', 'DARK').optional().build()).build()
entries.push({ name: 'enum top-level', schema: color, values: ['RED', 'BLUE'], tags: ['enum', 'top-level-primitive'] })
entries.push({ name: 'enum fields', schema: painted, values: [struct(painted, { color: 'GREEN', maybe_color: 'DARK' }), struct(painted, { color: 'RED', maybe_color: null })], tags: ['enum'] })

// ...and a union of several types as a struct named io.confluent.connect.avro.Union, one optional field per member.
const unionPoint = SchemaBuilder.struct().name('com.example.UPoint').field('x', Schemas.INT32).optional().build()
const union = SchemaBuilder.struct().name('io.confluent.connect.avro.Union')
  .field('int', Schemas.OPTIONAL_INT32).field('string', Schemas.OPTIONAL_STRING).field('UPoint', unionPoint).build()
const holdsUnion = SchemaBuilder.struct().name('com.example.HoldsUnion').field('u', union).build()
entries.push({
  name: 'union of int, string and a record',
  schema: holdsUnion,
  values: [
    struct(holdsUnion, { u: struct(union, { int: 5 }) }),
    struct(holdsUnion, { u: struct(union, { string: 'five' }) }),
    struct(holdsUnion, { u: struct(union, { UPoint: struct(unionPoint, { x: 5 }) }) })
  ],
  tags: ['union']
})
const optionalUnion = SchemaBuilder.struct().name('io.confluent.connect.avro.Union').field('long', Schemas.OPTIONAL_INT64).field('boolean', Schemas.OPTIONAL_BOOLEAN).optional().build()
entries.push({ name: 'optional union top-level', schema: optionalUnion, values: [struct(optionalUnion, { long: 1 }), struct(optionalUnion, { boolean: false }), null], tags: ['union', 'top-level-optional'] })

export const STRUCT_ENTRIES: readonly CorpusEntry[] = entries
