/** Arrays and maps: of primitives, structs, optional items, nested containers, string and non-string keys. */
import { SchemaBuilder, Schemas, type Schema } from '../../../../src/api/index.ts'
import { bytes, struct, type CorpusEntry } from './entry.ts'

const entries: CorpusEntry[] = []
const array = (s: Schema): SchemaBuilder => SchemaBuilder.array(s)
const map = (k: Schema, v: Schema): SchemaBuilder => SchemaBuilder.map(k, v)

entries.push({ name: 'array of int32 top-level', schema: array(Schemas.INT32).build(), values: [[1, 2, 3], [], [-2147483648]], tags: ['top-level-primitive'] })
entries.push({ name: 'array of string top-level', schema: array(Schemas.STRING).build(), values: [['a', '', 'ü'], []], tags: ['top-level-primitive'] })
entries.push({ name: 'array of optional string (null items)', schema: array(Schemas.OPTIONAL_STRING).build(), values: [['a', null, 'b'], [null], []], tags: ['top-level-primitive', 'optional-items'] })
entries.push({ name: 'array of bytes', schema: array(Schemas.BYTES).build(), values: [[bytes(), bytes(1, 2)], []], tags: ['top-level-primitive'] })
entries.push({ name: 'array of float64', schema: array(Schemas.FLOAT64).build(), values: [[0.5, -1e10, 1e-10]], tags: ['top-level-primitive'] })
entries.push({ name: 'optional array top-level', schema: array(Schemas.INT64).optional().build(), values: [[1, 2], null, []], tags: ['top-level-primitive', 'top-level-optional'] })
entries.push({ name: 'array of arrays of int32', schema: array(array(Schemas.INT32).build()).build(), values: [[[1], [], [2, 3]], []], tags: ['top-level-primitive', 'nested-arrays'] })

entries.push({ name: 'map string to int32 top-level', schema: map(Schemas.STRING, Schemas.INT32).build(), values: [new Map([['a', 1], ['b', 2]]), new Map(), new Map([['', 0], ['ключ', -1]])], tags: ['top-level-primitive'] })
entries.push({ name: 'map string to optional int64 (null values)', schema: map(Schemas.STRING, Schemas.OPTIONAL_INT64).build(), values: [new Map<string, number | null>([['a', 1], ['b', null]]), new Map()], tags: ['top-level-primitive', 'optional-map-values'] })
entries.push({ name: 'map string to array of string', schema: map(Schemas.STRING, array(Schemas.STRING).build()).build(), values: [new Map([['x', ['1', '2']], ['y', []]])], tags: ['top-level-primitive'] })
entries.push({ name: 'map string to map string to boolean', schema: map(Schemas.STRING, map(Schemas.STRING, Schemas.BOOLEAN).build()).build(), values: [new Map([['outer', new Map([['inner', true]])], ['empty', new Map()]])], tags: ['top-level-primitive'] })
entries.push({ name: 'optional map top-level', schema: map(Schemas.STRING, Schemas.STRING).optional().build(), values: [new Map([['k', 'v']]), null], tags: ['top-level-primitive', 'top-level-optional'] })

entries.push({ name: 'map int32 to string', schema: map(Schemas.INT32, Schemas.STRING).build(), values: [new Map([[1, 'one'], [-2, 'minus two']]), new Map()], tags: ['top-level-primitive', 'non-string-map-keys'] })
entries.push({ name: 'map int64 to float64', schema: map(Schemas.INT64, Schemas.FLOAT64).build(), values: [new Map<number | bigint, number>([[0, 0.5], [2n ** 62n, -1.5]])], tags: ['top-level-primitive', 'non-string-map-keys', 'int64-big'] })
entries.push({ name: 'map int8 to int16', schema: map(Schemas.INT8, Schemas.INT16).build(), values: [new Map([[1, 1000], [-1, -1000]])], tags: ['top-level-primitive', 'non-string-map-keys', 'int8', 'int16'] })
entries.push({ name: 'map boolean to string', schema: map(Schemas.BOOLEAN, Schemas.STRING).build(), values: [new Map([[true, 'yes'], [false, 'no']])], tags: ['top-level-primitive', 'non-string-map-keys'] })
entries.push({ name: 'map int32 to optional string', schema: map(Schemas.INT32, Schemas.OPTIONAL_STRING).build(), values: [new Map([[1, 'a'], [2, null]])], tags: ['top-level-primitive', 'non-string-map-keys', 'optional-map-values'] })
entries.push({ name: 'map optional string to int32', schema: map(Schemas.OPTIONAL_STRING, Schemas.INT32).build(), values: [new Map([['a', 1]])], tags: ['top-level-primitive', 'optional-map-keys'] })

const point = SchemaBuilder.struct().name('com.example.Point').field('x', Schemas.INT32).field('y', Schemas.INT32).build()
entries.push({
  name: 'map struct key to string',
  schema: map(point, Schemas.STRING).build(),
  values: [new Map([[struct(point, { x: 1, y: 2 }), 'a'], [struct(point, { x: -1, y: 0 }), 'b']]), new Map()],
  tags: ['top-level-primitive', 'non-string-map-keys', 'struct-map-keys']
})
entries.push({
  name: 'map string to struct',
  schema: map(Schemas.STRING, point).build(),
  values: [new Map([['origin', struct(point, { x: 0, y: 0 })], ['far', struct(point, { x: 2147483647, y: -2147483648 })]]), new Map()],
  tags: ['top-level-primitive']
})
entries.push({
  name: 'array of structs top-level',
  schema: array(point).build(),
  values: [[struct(point, { x: 1, y: 1 }), struct(point, { x: 2, y: 2 })], []],
  tags: ['top-level-primitive']
})
const maybePoint = SchemaBuilder.struct().name('com.example.MaybePoint').field('x', Schemas.INT32).optional().build()
entries.push({
  name: 'array of optional structs',
  schema: array(maybePoint).build(),
  values: [[struct(maybePoint, { x: 1 }), null], []],
  tags: ['top-level-primitive', 'optional-items']
})
entries.push({
  name: 'array of maps',
  schema: array(map(Schemas.STRING, Schemas.INT32).build()).build(),
  values: [[new Map([['a', 1]]), new Map()], []],
  tags: ['top-level-primitive']
})

const containers = SchemaBuilder.struct().name('com.example.Containers')
  .field('tags', array(Schemas.STRING).build())
  .field('scores', map(Schemas.STRING, Schemas.FLOAT64).build())
  .field('optional_list', array(Schemas.INT32).optional().build())
  .field('optional_map', map(Schemas.STRING, Schemas.INT32).optional().build())
  .field('defaulted_list', array(Schemas.INT32).defaultValue([1, 2]).build())
  .field('defaulted_map', map(Schemas.STRING, Schemas.STRING).defaultValue(new Map([['k', 'v']])).build())
  .field('by_id', map(Schemas.INT32, Schemas.STRING).build())
  .build()
entries.push({
  name: 'struct with arrays and maps, optional and defaulted',
  schema: containers,
  values: [
    struct(containers, { tags: ['a', 'b'], scores: new Map([['x', 1.5]]), optional_list: [1], optional_map: new Map([['m', 1]]), defaulted_list: [3], defaulted_map: new Map([['a', 'b']]), by_id: new Map([[1, 'one']]) }),
    struct(containers, { tags: [], scores: new Map(), optional_list: null, optional_map: null, defaulted_list: [1, 2], defaulted_map: new Map([['k', 'v']]), by_id: new Map() })
  ],
  tags: ['defaults', 'non-string-map-keys']
})

const line = SchemaBuilder.struct().name('com.example.Line').field('points', array(point).build()).field('labels', map(Schemas.STRING, point).build()).build()
entries.push({
  name: 'struct with array of structs and map of structs',
  schema: line,
  values: [
    struct(line, { points: [struct(point, { x: 0, y: 0 }), struct(point, { x: 3, y: 4 })], labels: new Map([['start', struct(point, { x: 0, y: 0 })]]) }),
    struct(line, { points: [], labels: new Map() })
  ],
  tags: ['named-struct-reuse']
})

const deep = SchemaBuilder.struct().name('com.example.Deep')
  .field('grid', map(Schemas.STRING, array(array(Schemas.OPTIONAL_FLOAT32).build()).build()).build())
  .field('points_by_key', map(point, array(point).build()).optional().build())
  .build()
entries.push({
  name: 'deeply nested containers',
  schema: deep,
  values: [
    struct(deep, { grid: new Map([['g', [[1.5, null], []]]]), points_by_key: new Map([[struct(point, { x: 9, y: 9 }), [struct(point, { x: 1, y: 1 })]]]) }),
    struct(deep, { grid: new Map(), points_by_key: null })
  ],
  tags: ['nested-arrays', 'optional-items', 'float32', 'non-string-map-keys', 'struct-map-keys', 'named-struct-reuse']
})

export const CONTAINER_ENTRIES: readonly CorpusEntry[] = entries
