/**
 * An Avro schema as Apache Avro's Java Schema holds it: types with their properties in insertion order, named types
 * with full names, fields with docs, defaults and properties. Parsed from registry text (Schema.Parser's rules for
 * names, namespaces and references) and written back exactly as Java's Schema.toString() does, since that text is
 * what Confluent's serializers register and what makes the same Connect schema give the same registry text.
 */
import { DataError } from '../../../api/index.ts'
import { JsonNumber, JsonReader, isObjectNode, type JsonNode } from '../../../util/json-reader.ts'

export type AvroProps = Map<string, JsonNode>
export type AvroPrimitiveType = 'null' | 'boolean' | 'int' | 'long' | 'float' | 'double' | 'bytes' | 'string'

export interface AvroPrimitive { readonly type: AvroPrimitiveType, readonly props: AvroProps }
export interface AvroNamed {
  /** The short name and the namespace (null when none), as Java's Schema.Name splits a full name. */
  readonly name: string
  readonly namespace: string | null
  readonly doc: string | null
  readonly props: AvroProps
  readonly aliases: readonly string[]
}
export interface AvroRecord extends AvroNamed { readonly type: 'record', fields: AvroField[] }
export interface AvroEnum extends AvroNamed { readonly type: 'enum', readonly symbols: readonly string[], readonly enumDefault: string | null }
export interface AvroFixed extends AvroNamed { readonly type: 'fixed', readonly size: number }
export interface AvroArray { readonly type: 'array', readonly items: AvroSchema, readonly props: AvroProps }
export interface AvroMap { readonly type: 'map', readonly values: AvroSchema, readonly props: AvroProps }
export interface AvroUnion { readonly type: 'union', readonly types: readonly AvroSchema[] }
export type AvroSchema = AvroPrimitive | AvroRecord | AvroEnum | AvroFixed | AvroArray | AvroMap | AvroUnion

export interface AvroField {
  readonly name: string
  readonly schema: AvroSchema
  readonly doc: string | null
  /** The JSON default; undefined when the field has none (null is a null default). */
  readonly defaultValue: JsonNode | undefined
  readonly order: 'ascending' | 'descending' | 'ignore'
  readonly aliases: readonly string[]
  readonly props: AvroProps
}

export const PRIMITIVES: ReadonlySet<string> = new Set(['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string'])
const NAMED_TYPES = new Set(['record', 'error', 'enum', 'fixed'])
/** Java's Schema.Type names: a named type called like one of them is always written with its namespace. */
const TYPE_NAMES = new Set([...PRIMITIVES, 'record', 'enum', 'array', 'map', 'union', 'fixed'])
const SCHEMA_RESERVED = new Set(['doc', 'fields', 'items', 'name', 'namespace', 'size', 'symbols', 'values', 'type', 'aliases', 'default'])
const FIELD_RESERVED = new Set(['default', 'doc', 'name', 'order', 'type', 'aliases'])
const VALID_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

export function isNamed (s: AvroSchema): s is AvroRecord | AvroEnum | AvroFixed {
  return s.type === 'record' || s.type === 'enum' || s.type === 'fixed'
}

export function fullName (s: AvroNamed): string {
  return s.namespace === null ? s.name : `${s.namespace}.${s.name}`
}

/** Java's Schema.getName(): the short name for named types, the type name otherwise. */
export function typeName (s: AvroSchema): string {
  return isNamed(s) ? s.name : s.type
}

/** Java's Schema.getProp: a textual property's value, else null. */
export function textProp (props: AvroProps, key: string): string | null {
  const v = props.get(key)
  return typeof v === 'string' ? v : null
}

export function primitive (type: AvroPrimitiveType, props: AvroProps = new Map()): AvroPrimitive {
  return { type, props }
}

/** Java's Schema.Name: a dotted name carries its own namespace; an empty namespace is none. Validates each part. */
export function splitFullName (name: string, space: string | null): { name: string, namespace: string | null } {
  const dot = name.lastIndexOf('.')
  const result = dot < 0 ? { name, namespace: space === '' ? null : space } : { name: name.slice(dot + 1), namespace: name.slice(0, dot) || null }
  validateName(result.name)
  if (result.namespace !== null) for (const part of result.namespace.split('.')) validateName(part)
  return result
}

export function validateName (name: string): string {
  if (!VALID_NAME.test(name)) {
    const bad = name === '' ? 'Empty name' : /^[A-Za-z_]/.test(name) ? `Illegal character in: ${name}` : `Illegal initial character: ${name}`
    throw new DataError(bad)
  }
  return name
}

// ---------------------------------------------------------------------------------------------------- parsing --

class Parser {
  readonly names = new Map<string, AvroRecord | AvroEnum | AvroFixed>()

  parse (node: JsonNode, space: string | null): AvroSchema {
    if (typeof node === 'string') return this.#reference(node, space)
    if (Array.isArray(node)) return this.#union(node, space)
    if (!isObjectNode(node)) throw new DataError(`Schema not yet supported: ${jsonToString(node)}`)
    const typeNode = node.get('type')
    if (typeNode === undefined) throw new DataError(`No type: ${jsonToString(node)}`)
    if (typeof typeNode !== 'string') return this.parse(typeNode, space)
    if (PRIMITIVES.has(typeNode)) return primitive(typeNode as AvroPrimitiveType, this.#props(node, SCHEMA_RESERVED))
    if (NAMED_TYPES.has(typeNode)) return this.#named(node, typeNode, space)
    if (typeNode === 'array') {
      const items = node.get('items')
      if (items === undefined) throw new DataError(`Array has no items type: ${jsonToString(node)}`)
      return { type: 'array', items: this.parse(items, space), props: this.#props(node, SCHEMA_RESERVED) }
    }
    if (typeNode === 'map') {
      const values = node.get('values')
      if (values === undefined) throw new DataError(`Map has no values type: ${jsonToString(node)}`)
      return { type: 'map', values: this.parse(values, space), props: this.#props(node, SCHEMA_RESERVED) }
    }
    return this.#reference(typeNode, space)
  }

  #reference (name: string, space: string | null): AvroSchema {
    if (PRIMITIVES.has(name)) return primitive(name as AvroPrimitiveType)
    const found = (!name.includes('.') && space !== null ? this.names.get(`${space}.${name}`) : undefined) ?? this.names.get(name)
    if (!found) throw new DataError(`Undefined name: "${name}"`)
    return found
  }

  #union (nodes: JsonNode[], space: string | null): AvroUnion {
    const types = nodes.map(n => this.parse(n, space))
    const seen = new Set<string>()
    for (const t of types) {
      if (t.type === 'union') throw new DataError(`Nested union: ${jsonToString(nodes)}`)
      const key = isNamed(t) ? fullName(t) : t.type
      if (seen.has(key)) throw new DataError(`Duplicate in union:${key}`)
      seen.add(key)
    }
    return { type: 'union', types }
  }

  #named (node: Map<string, JsonNode>, type: string, space: string | null): AvroSchema {
    const nameNode = node.get('name')
    if (typeof nameNode !== 'string') throw new DataError(`No name in schema: ${jsonToString(node)}`)
    const nsNode = node.get('namespace')
    const { name, namespace } = splitFullName(nameNode, typeof nsNode === 'string' ? nsNode : space)
    const doc = node.get('doc')
    const aliasNode = node.get('aliases')
    const base = {
      name,
      namespace,
      doc: typeof doc === 'string' ? doc : null,
      props: this.#props(node, SCHEMA_RESERVED),
      aliases: Array.isArray(aliasNode) ? aliasNode.filter((a): a is string => typeof a === 'string') : []
    }
    const full = namespace === null ? name : `${namespace}.${name}`
    if (this.names.has(full)) throw new DataError(`Can't redefine: ${full}`)
    let result: AvroRecord | AvroEnum | AvroFixed
    if (type === 'enum') {
      const symbols = node.get('symbols')
      if (!Array.isArray(symbols)) throw new DataError(`Enum has no symbols: ${jsonToString(node)}`)
      const dflt = node.get('default')
      result = { ...base, type: 'enum', symbols: symbols.map(s => validateName(String(s))), enumDefault: typeof dflt === 'string' ? dflt : null }
      this.names.set(full, result)
    } else if (type === 'fixed') {
      const size = node.get('size')
      if (!(size instanceof JsonNumber) || !size.integral) throw new DataError(`Invalid or no size: ${jsonToString(node)}`)
      result = { ...base, type: 'fixed', size: Number(size.text) }
      this.names.set(full, result)
    } else {
      const record: AvroRecord = { ...base, type: 'record', fields: [] }
      this.names.set(full, record)
      const fields = node.get('fields')
      if (!Array.isArray(fields)) throw new DataError(`Record has no fields: ${jsonToString(node)}`)
      const fieldNames = new Set<string>()
      for (const f of fields) {
        if (!isObjectNode(f)) throw new DataError(`Not a field: ${jsonToString(f)}`)
        const fname = f.get('name')
        if (typeof fname !== 'string') throw new DataError(`No field name: ${jsonToString(f)}`)
        validateName(fname)
        if (fieldNames.has(fname)) throw new DataError(`Duplicate field ${fname} in record ${full}`)
        fieldNames.add(fname)
        const ftype = f.get('type')
        if (ftype === undefined) throw new DataError(`No field type: ${jsonToString(f)}`)
        const fdoc = f.get('doc')
        const order = f.get('order')
        const faliases = f.get('aliases')
        record.fields.push({
          name: fname,
          schema: this.parse(ftype, namespace),
          doc: typeof fdoc === 'string' ? fdoc : null,
          defaultValue: f.get('default'),
          order: order === 'descending' || order === 'ignore' ? order : 'ascending',
          aliases: Array.isArray(faliases) ? faliases.filter((a): a is string => typeof a === 'string') : [],
          props: this.#props(f, FIELD_RESERVED)
        })
      }
      result = record
    }
    return result
  }

  #props (node: Map<string, JsonNode>, reserved: ReadonlySet<string>): AvroProps {
    const props: AvroProps = new Map()
    for (const [k, v] of node) if (!reserved.has(k)) props.set(k, v)
    return props
  }
}

function readJsonText (text: string): JsonNode {
  try {
    const reader = new JsonReader(text)
    reader.skipWhitespace()
    return reader.readValue(true)
  } catch (err) {
    throw new DataError(`Invalid Avro schema text: ${(err as Error).message}`, { cause: err })
  }
}

/**
 * Parses an Avro schema's JSON text as Java's Schema.Parser does, after the texts it references (schemas registered
 * under other subjects, whose named types it uses; as Confluent's AvroSchema, one parser reads them all). Throws
 * DataError.
 */
export function parseAvroSchema (text: string, references: readonly string[] = []): AvroSchema {
  const parser = new Parser()
  for (const ref of references) parser.parse(readJsonText(ref), null)
  return parser.parse(readJsonText(text), null)
}

// ---------------------------------------------------------------------------------------------------- writing --

/** A JSON string as Jackson's Writer-based generator writes it (Avro's toString): only '"', '\' and controls escaped. */
export function jsonString (s: string): string {
  if (!/["\\\u0000-\u001f]/.test(s)) return `"${s}"`
  let out = '"'
  for (const ch of s) {
    const c = ch.charCodeAt(0)
    if (ch === '"') out += '\\"'
    else if (ch === '\\') out += '\\\\'
    else if (c === 0x08) out += '\\b'
    else if (c === 0x09) out += '\\t'
    else if (c === 0x0a) out += '\\n'
    else if (c === 0x0c) out += '\\f'
    else if (c === 0x0d) out += '\\r'
    else if (c < 0x20) out += '\\u' + c.toString(16).toUpperCase().padStart(4, '0')
    else out += ch
  }
  return out + '"'
}

/** Compact JSON of a tree as Jackson writes it (numbers keep their text). */
export function jsonToString (node: JsonNode | undefined): string {
  if (node === undefined || node === null) return 'null'
  if (typeof node === 'boolean') return String(node)
  if (typeof node === 'string') return jsonString(node)
  if (node instanceof JsonNumber) return node.text
  if (Array.isArray(node)) return `[${node.map(jsonToString).join(',')}]`
  return `{${[...node].map(([k, v]) => `${jsonString(k)}:${jsonToString(v)}`).join(',')}}`
}

/** Java's Schema.equals: structure, names and properties (docs and aliases aside, as Java ignores them). */
export function avroSchemaEquals (a: AvroSchema, b: AvroSchema, seen = new Set<string>()): boolean {
  if (a === b) return true
  if (a.type !== b.type) return false
  if (a.type === 'union') {
    const bt = (b as AvroUnion).types
    return a.types.length === bt.length && a.types.every((t, i) => avroSchemaEquals(t, bt[i]!, seen))
  }
  if (jsonToString(new Map(a.props)) !== jsonToString(new Map((b as { props: AvroProps }).props))) return false
  switch (a.type) {
    case 'array': return avroSchemaEquals(a.items, (b as AvroArray).items, seen)
    case 'map': return avroSchemaEquals(a.values, (b as AvroMap).values, seen)
    case 'enum': return fullName(a) === fullName(b as AvroEnum) && a.symbols.join(',') === (b as AvroEnum).symbols.join(',') && a.enumDefault === (b as AvroEnum).enumDefault
    case 'fixed': return fullName(a) === fullName(b as AvroFixed) && a.size === (b as AvroFixed).size
    case 'record': {
      const r = b as AvroRecord
      if (fullName(a) !== fullName(r) || a.fields.length !== r.fields.length) return false
      // Recursive records: assume equal while comparing (Java's SEEN_EQUALS does the same).
      const key = fullName(a)
      if (seen.has(key)) return true
      seen.add(key)
      return a.fields.every((f, i) => {
        const g = r.fields[i]!
        return f.name === g.name && f.order === g.order && jsonToString(f.defaultValue) === jsonToString(g.defaultValue) &&
          jsonToString(new Map(f.props)) === jsonToString(new Map(g.props)) && avroSchemaEquals(f.schema, g.schema, seen)
      })
    }
    default: return true
  }
}

class Writer {
  readonly #names = new Map<string, AvroSchema>()
  #space: string | null = null

  write (s: AvroSchema): string {
    switch (s.type) {
      case 'union': return `[${s.types.map(t => this.write(t)).join(',')}]`
      case 'array': return `{"type":"array","items":${this.write(s.items)}${this.#props(s.props)}}`
      case 'map': return `{"type":"map","values":${this.write(s.values)}${this.#props(s.props)}}`
      case 'record': case 'enum': case 'fixed': return this.#named(s)
      default: return s.props.size === 0 ? `"${s.type}"` : `{"type":"${s.type}"${this.#props(s.props)}}`
    }
  }

  #named (s: AvroRecord | AvroEnum | AvroFixed): string {
    const full = fullName(s)
    const known = this.#names.get(full)
    if (known !== undefined) {
      if (!avroSchemaEquals(known, s)) throw new DataError(`Can't redefine: ${full}`)
      const short = s.namespace !== null && s.namespace === this.#space && !TYPE_NAMES.has(s.name)
      return jsonString(short ? s.name : full)
    }
    this.#names.set(full, s)
    let out = `{"type":"${s.type}","name":${jsonString(s.name)}`
    if (s.namespace !== null) {
      if (s.namespace !== this.#space) out += `,"namespace":${jsonString(s.namespace)}`
    } else if (this.#space !== null) {
      out += ',"namespace":""'
    }
    const saved = this.#space
    if (s.type === 'record') this.#space = s.namespace
    if (s.doc !== null) out += `,"doc":${jsonString(s.doc)}`
    if (s.type === 'record') out += `,"fields":[${s.fields.map(f => this.#field(f)).join(',')}]`
    if (s.type === 'enum') {
      out += `,"symbols":[${s.symbols.map(jsonString).join(',')}]`
      if (s.enumDefault !== null) out += `,"default":${jsonString(s.enumDefault)}`
    }
    if (s.type === 'fixed') out += `,"size":${s.size}`
    out += this.#props(s.props)
    if (s.aliases.length > 0) out += `,"aliases":[${s.aliases.map(a => jsonString(this.#alias(a, s.namespace))).join(',')}]`
    this.#space = saved
    return out + '}'
  }

  /** Java writes an alias relative to the type's namespace. */
  #alias (alias: string, space: string | null): string {
    const dot = alias.lastIndexOf('.')
    return dot >= 0 && alias.slice(0, dot) === space ? alias.slice(dot + 1) : alias
  }

  #field (f: AvroField): string {
    let out = `{"name":${jsonString(f.name)},"type":${this.write(f.schema)}`
    if (f.doc !== null) out += `,"doc":${jsonString(f.doc)}`
    if (f.defaultValue !== undefined) out += `,"default":${jsonToString(f.defaultValue)}`
    if (f.order !== 'ascending') out += `,"order":"${f.order}"`
    if (f.aliases.length > 0) out += `,"aliases":[${f.aliases.map(jsonString).join(',')}]`
    return out + this.#props(f.props) + '}'
  }

  #props (props: AvroProps): string {
    let out = ''
    for (const [k, v] of props) out += `,${jsonString(k)}:${jsonToString(v)}`
    return out
  }
}

/** The text Java's Schema.toString() gives: compact JSON, Avro's attribute order, named types defined once. */
export function avroSchemaToString (s: AvroSchema): string {
  return new Writer().write(s)
}
