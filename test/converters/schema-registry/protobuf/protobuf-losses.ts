/**
 * What a Connect schema and value lose on the way through Confluent's Protobuf mapping (default settings), as a walk
 * over the original and what is read back: every difference must be one of the losses below, which the walk records
 * by tag, and anything else fails with its path. Every loss listed is Confluent's too (ProtobufData does the same).
 */
import assert from 'node:assert/strict'
import {
  DATE_LOGICAL_NAME, DECIMAL_LOGICAL_NAME, Struct, TIME_LOGICAL_NAME, TIMESTAMP_LOGICAL_NAME, type Schema
} from '../../../../src/api/index.ts'
import { scrubName } from '../../../../src/converters/schema-registry/protobuf/protobuf-names.ts'
import { valueDiff } from '../connect-equals.ts'

export const LOSSES: Readonly<Record<string, string>> = {
  'optional': 'a required field, array element or map key/value reads back optional (proto3 has no required; Confluent reads every field optional)',
  'tag-param': 'fields read back carry io.confluent.connect.protobuf.Tag with their field number',
  'namespace': 'a struct name loses its namespace (the package, or the enclosing message) without enhanced.protobuf.schema.support',
  'default-name': 'an unnamed struct reads back named ConnectDefault<n>, an unnamed map connect_default<n>',
  'map-name': 'a map reads back named after its entry message (a named map: the lower_underscore form of its name)',
  'doc': 'schema docs are not carried',
  'version': 'schema versions are not carried (the logical types keep theirs)',
  'default': 'schema defaults are not carried (proto3 has none); a null field with a default is written as the default',
  'parameters': 'schema parameters are not carried (except enum symbols, Decimal scale/precision, Tag, Type)',
  'name': 'the name of a schema that is not a struct, map, enum or logical type is not carried',
  'root-optional': 'the root schema reads back required',
  'int8-int16-root': 'an INT8/INT16 root is an Int32Value and reads back INT32',
  'logical-root': 'a logical type at the root is written as its message under the wrapper type of its base type, and reads back as that wrapper\'s first field',
  'null-to-default': 'a null scalar, array or map field reads back as its default (0, "", false, empty bytes, [], {}): proto3 scalars have no presence',
  'map-null-values': 'a null map value reads back as the value type\'s default',
  'time-end-of-day': 'Time 86400000 ms (24:00) is written as 00:00',
  'union-first': 'a union (oneof) field moves before the other fields',
  'union-name': 'a union field reads back named <oneof>_<index>'
}

const LOGICAL = new Set([DECIMAL_LOGICAL_NAME, DATE_LOGICAL_NAME, TIME_LOGICAL_NAME, TIMESTAMP_LOGICAL_NAME])
const TAG = 'io.confluent.connect.protobuf.Tag'
const KEPT_PARAMS = new Set(['scale', 'connect.decimal.precision', TAG, 'io.confluent.connect.protobuf.Type'])
const isProtobufUnion = (s: Schema): boolean => s.name?.startsWith('io.confluent.connect.protobuf.Union.') === true
const isEnum = (s: Schema): boolean => s.parameters?.['io.confluent.connect.protobuf.Enum'] !== undefined
const simpleName = (name: string): string => name.slice(name.lastIndexOf('.') + 1)
const upperCamel = (s: string): string => s.split('_').map(w => w === '' ? w : w[0]!.toUpperCase() + w.slice(1).toLowerCase()).join('')
const lowerUnderscore = (s: string): string => s.replace(/(?<!^)([A-Z])/g, '_$1').toLowerCase()

export class LossWalk {
  readonly losses = new Set<string>()
  /** scrub.invalid.names: names are compared as written (scrubbed). */
  readonly #name: (name: string) => string

  constructor (scrub = false) {
    this.#name = scrub ? scrubName : n => n
  }

  #fail (path: string, what: string): never {
    assert.fail(`${path}: ${what}`)
  }

  /** The schema attributes every kind shares: optional, doc, version, default, parameters. */
  #common (o: Schema, r: Schema, path: string, root: boolean): void {
    if (o.optional && !r.optional) {
      if (!root) this.#fail(path, 'optional became required')
      this.losses.add('root-optional')
    }
    if (!o.optional && r.optional) this.losses.add('optional')
    if (o.doc !== undefined && r.doc === undefined) this.losses.add('doc')
    if (r.doc !== undefined && r.doc !== o.doc) this.#fail(path, `doc ${r.doc}`)
    if (o.defaultValue !== undefined && o.defaultValue !== null) this.losses.add('default')
    if (r.defaultValue !== undefined && r.defaultValue !== null) this.#fail(path, 'a default appeared')
    const logical = o.name !== undefined && LOGICAL.has(o.name)
    if (r.version !== (logical ? 1 : undefined)) this.#fail(path, `version ${r.version ?? 'none'}`)
    if (o.version !== r.version) this.losses.add('version')
    const op = o.parameters ?? {}
    const rp = r.parameters ?? {}
    for (const [k, v] of Object.entries(rp)) {
      if (k === TAG) { this.losses.add('tag-param'); continue }
      if (op[k] !== v && !(isEnum(o) && k.startsWith('io.confluent.connect.protobuf.Enum'))) this.#fail(path, `parameter ${k}=${v}`)
    }
    for (const k of Object.keys(op)) if (rp[k] === undefined && !KEPT_PARAMS.has(k)) this.losses.add('parameters')
  }

  schema (o: Schema, r: Schema, path = 'schema', root = true): void {
    this.#common(o, r, path, root)
    if (o.name !== undefined && LOGICAL.has(o.name)) {
      if (r.name !== o.name || r.type !== o.type) this.#fail(path, `${o.name} read back as ${r.name ?? r.type}`)
      return
    }
    if (root && (o.type === 'int8' || o.type === 'int16') && r.type === 'int32') {
      this.losses.add('int8-int16-root')
      return
    }
    if (r.type !== o.type) this.#fail(path, `type ${o.type} read back as ${r.type}`)
    switch (o.type) {
      case 'array':
        this.schema(o.valueSchema!, r.valueSchema!, `${path}[]`, false)
        return
      case 'map':
        this.#mapName(o, r, path)
        this.schema(o.keySchema!, r.keySchema!, `${path}.key`, false)
        this.schema(o.valueSchema!, r.valueSchema!, `${path}.value`, false)
        return
      case 'struct':
        this.#structName(o, r, path)
        this.#fields(o, r, path)
        return
      default: {
        const expected = isEnum(o) && o.name !== undefined ? simpleName(o.name) : undefined
        if (r.name !== expected) this.#fail(path, `name ${r.name ?? 'none'} (expected ${expected ?? 'none'})`)
        if (o.name !== r.name) this.losses.add('name')
      }
    }
  }

  #structName (o: Schema, r: Schema, path: string): void {
    if (isProtobufUnion(o)) return
    if (o.name === undefined) {
      if (!/^ConnectDefault\d+$/.test(r.name ?? '')) this.#fail(path, `unnamed struct read back as ${r.name ?? ''}`)
      this.losses.add('default-name')
    } else if (r.name !== this.#name(simpleName(o.name)) && r.name !== `${this.#name(simpleName(o.name))}Message`) {
      this.#fail(path, `struct ${o.name} read back as ${r.name ?? ''}`)
    } else if (r.name !== o.name) this.losses.add('namespace')
  }

  #mapName (o: Schema, r: Schema, path: string): void {
    if (o.name === undefined) {
      if (!/^connect_default\d+$/.test(r.name ?? '')) this.#fail(path, `unnamed map read back as ${r.name ?? ''}`)
      this.losses.add('default-name')
      return
    }
    const entry = simpleName(o.name)
    const expected = lowerUnderscore(entry.includes('_') ? upperCamel(entry) : entry)
    if (r.name !== expected) this.#fail(path, `map ${o.name} read back as ${r.name ?? ''} (expected ${expected})`)
    if (r.name !== o.name) this.losses.add('map-name')
  }

  /** Fields match by name and order, unions (which move first) by their schema. */
  #fields (o: Schema, r: Schema, path: string): void {
    const oUnions = (o.fields ?? []).filter(f => isProtobufUnion(f.schema))
    const oOthers = (o.fields ?? []).filter(f => !isProtobufUnion(f.schema))
    const rUnions = (r.fields ?? []).filter(f => isProtobufUnion(f.schema))
    const rOthers = (r.fields ?? []).filter(f => !isProtobufUnion(f.schema))
    if (oOthers.map(f => this.#name(f.name)).join() !== rOthers.map(f => f.name).join()) this.#fail(path, `fields ${rOthers.map(f => f.name).join()}`)
    if (oUnions.length !== rUnions.length) this.#fail(path, 'union fields differ')
    oOthers.forEach((f, i) => { this.schema(f.schema, rOthers[i]!.schema, `${path}.${f.name}`, false) })
    oUnions.forEach((f, i) => {
      const rf = rUnions[i]!
      if (rf.name !== f.name) this.losses.add('union-name')
      if (f.index !== rf.index) this.losses.add('union-first')
      this.schema(f.schema, rf.schema, `${path}.${f.name}`, false)
    })
  }

  /** The default a proto3 scalar (or repeated) field reads back as when nothing was written. */
  #defaultOf (r: Schema): unknown {
    if (isEnum(r)) {
      const first = Object.entries(r.parameters ?? {}).find(([k]) => k.startsWith('io.confluent.connect.protobuf.Enum.'))
      return first === undefined ? null : first[0].slice('io.confluent.connect.protobuf.Enum.'.length)
    }
    switch (r.type) {
      case 'int8': case 'int16': case 'int32': case 'int64': case 'float32': case 'float64': return 0
      case 'boolean': return false
      case 'string': return ''
      case 'bytes': return Buffer.alloc(0)
      case 'array': return []
      case 'map': return new Map()
      default: return null
    }
  }

  value (o: Schema, v: unknown, r: Schema, got: unknown, path = 'value'): void {
    if (v === null || v === undefined) {
      const expected = r.name !== undefined && LOGICAL.has(r.name) ? null : this.#defaultOf(r)
      if (expected !== null) this.losses.add('null-to-default')
      const d = valueDiff(got, expected, path)
      if (d !== null) this.#fail(path, d)
      return
    }
    if (o.name === TIME_LOGICAL_NAME && (v as Date).getTime() === 86400000) {
      this.losses.add('time-end-of-day')
      if ((got as Date).getTime() !== 0) this.#fail(path, 'time 24:00')
      return
    }
    switch (o.type) {
      case 'array': {
        const list = got as unknown[]
        if (list.length !== (v as unknown[]).length) this.#fail(path, 'array length')
        ;(v as unknown[]).forEach((x, i) => { this.value(o.valueSchema!, x, r.valueSchema!, list[i], `${path}[${i}]`) })
        return
      }
      case 'map': {
        const entries = v instanceof Map ? [...v] : Object.entries(v as object)
        const read = [...(got as Map<unknown, unknown>)]
        if (read.length !== entries.length) this.#fail(path, `map size ${read.length}`)
        for (const [k, x] of entries) {
          const hit = read.find(([rk]) => valueDiff(rk, k) === null)
          if (hit === undefined) this.#fail(path, `key ${String(k)} missing`)
          if (x === null) this.losses.add('map-null-values')
          this.value(o.valueSchema!, x, r.valueSchema!, hit[1], `${path}[${String(k)}]`)
        }
        return
      }
      case 'struct': {
        if (!(got instanceof Struct)) this.#fail(path, 'not a struct')
        const s = v as Struct
        const rUnions = (r.fields ?? []).filter(f => isProtobufUnion(f.schema))
        let u = 0
        for (const f of o.fields ?? []) {
          const rf = isProtobufUnion(f.schema) ? rUnions[u++]! : r.fields!.find(x => x.name === this.#name(f.name))!
          // The writer reads fields with Struct.get: a null field with a default is written as the default.
          const written = s.get(f.name)
          if (s.getWithoutDefault(f.name) === null && written !== null) this.losses.add('default')
          this.value(f.schema, written, rf.schema, got.getWithoutDefault(rf.name), `${path}.${f.name}`)
        }
        return
      }
      default: {
        const d = valueDiff(got, v, path)
        if (d !== null) this.#fail(path, d)
      }
    }
  }
}
