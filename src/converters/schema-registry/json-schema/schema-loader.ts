/**
 * JSON Schema text to the schema model Confluent's converter reasons about (the everit library's schema kinds), built
 * with the library's rules where they decide what Connect schema a reader gets:
 *  - a schema object's keywords are taken by extractors in a fixed order (enum, allOf/anyOf/oneOf, not, const, type,
 *    then keywords that imply a type without "type"); more than one result makes a synthetic allOf of them, and
 *    title, description, default and the unknown keywords (connect.*) belong to that allOf;
 *  - "$ref" takes the object alone: its siblings other than title/description/default stay unknown keywords;
 *  - "type": [a, b] is an anyOf of one schema per type;
 *  - an object's "properties" come in java.util.HashMap order (the library keeps them in one), which decides the
 *    field order of a schema without connect.index.
 * References are resolved within the document ("#", "#/definitions/X", "#/$defs/X") and across the referenced
 * schemas the registry resolved, by their name. Loading is lazy per reference target, so a recursive schema loads
 * (and is refused later, when converted to Connect).
 */
import { DataError, javaHashMapOrder, javaStringHash } from '../../../api/index.ts'
import { JsonNumber, JsonReader, isObjectNode, nodeType, type JsonNode, type JsonObject } from '../../../util/json-reader.ts'

export type Draft = 'draft4' | 'draft6' | 'draft7' | 'draft2019' | 'draft2020'

interface Common {
  title?: string
  description?: string
  /** Present when the schema has a "default" (a JSON null default is `null`). */
  default?: JsonNode
  /** Keywords no extractor took: connect.* among them. */
  unprocessed: JsonObject
}

export type Loaded = Common & (
  | { kind: 'boolean' }
  | { kind: 'null' }
  | { kind: 'number', requiresInteger: boolean }
  | { kind: 'string' }
  | { kind: 'enum', values: JsonNode[] }
  | { kind: 'const', value: JsonNode }
  | { kind: 'array', items: Loaded | null }
  | { kind: 'object', properties: Array<[string, Loaded]>, required: string[], additionalPropertiesSchema: Loaded | null, permitsAdditionalProperties: boolean }
  | { kind: 'combined', criterion: 'allOf' | 'anyOf' | 'oneOf', subschemas: Loaded[], synthetic: boolean }
  | { kind: 'ref', ref: string, target: () => Loaded }
  | { kind: 'empty' | 'true' | 'false' | 'not' | 'conditional' }
)

const NUMBER_PROPS = ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf']
const STRING_PROPS = ['minLength', 'maxLength', 'pattern', 'format']
const OBJECT_PROPS_V4 = ['properties', 'required', 'minProperties', 'maxProperties', 'dependencies', 'patternProperties', 'additionalProperties']
const OBJECT_PROPS = [...OBJECT_PROPS_V4, 'propertyNames']
const ARRAY_PROPS_V4 = ['items', 'additionalItems', 'minItems', 'maxItems', 'uniqueItems']
const ARRAY_PROPS = [...ARRAY_PROPS_V4, 'contains']
const CONDITIONAL_PROPS = ['if', 'then', 'else']
// The library collects the combining keywords present into a HashSet.
const COMBINERS = javaHashMapOrder((['allOf', 'anyOf', 'oneOf'] as const).map(k => [k, k] as const), javaStringHash).map(([k]) => k)

/** The draft a schema declares with "$schema"; none means draft 7, as Confluent's provider assumes. */
export function draftOf (root: JsonNode): Draft {
  const url = isObjectNode(root) ? root.get('$schema') : undefined
  if (typeof url !== 'string') return 'draft7'
  if (/json-schema\.org\/draft-04\/schema/.test(url)) return 'draft4'
  if (/json-schema\.org\/draft-06\/schema/.test(url)) return 'draft6'
  if (/json-schema\.org\/draft\/2019-09\/schema/.test(url)) return 'draft2019'
  if (/json-schema\.org\/draft\/2020-12\/schema/.test(url)) return 'draft2020'
  return 'draft7'
}

/** Reads JSON text as Jackson's readTree does (objects as Maps, numbers exact). */
export function parseJsonText (text: string, what: string): JsonNode {
  try {
    const reader = new JsonReader(text)
    reader.skipWhitespace()
    const node = reader.readValue(true)
    reader.skipWhitespace()
    if (reader.pos < text.length) throw new SyntaxError('unexpected content after the JSON value')
    return node
  } catch (err) {
    throw new DataError(`Invalid ${what}: ${(err as Error).message}`, { cause: err })
  }
}

/** One document: the root being loaded or a referenced schema, with its loaded targets by JSON pointer. */
interface Doc {
  readonly root: JsonNode
  readonly targets: Map<string, Loaded>
}

export class SchemaLoader {
  readonly #draft: Draft
  readonly #docs = new Map<string, Doc>()
  readonly #root: Doc

  constructor (root: JsonNode, references: ReadonlyMap<string, JsonNode>, draft: Draft) {
    this.#draft = draft
    this.#root = { root, targets: new Map() }
    for (const [name, node] of references) this.#docs.set(name, { root: node, targets: new Map() })
  }

  load (): Loaded {
    return this.#load(this.#root.root, this.#root)
  }

  #load (node: JsonNode, doc: Doc): Loaded {
    if (node === true) return { kind: 'true', unprocessed: new Map() }
    if (node === false) return { kind: 'false', unprocessed: new Map() }
    if (!isObjectNode(node)) throw new DataError(`Invalid JSON schema: expected an object or boolean schema, found ${nodeType(node)}`)
    const remaining = new Map(node)
    const take = (key: string): JsonNode | undefined => {
      const v = remaining.get(key)
      remaining.delete(key)
      return v
    }
    const found: Loaded[] = []
    if (remaining.has('$ref')) {
      const ref = take('$ref')
      if (typeof ref !== 'string') throw new DataError('Invalid JSON schema: $ref must be a string')
      found.push(this.#reference(ref, doc))
    } else {
      const enumValues = take('enum')
      if (enumValues !== undefined) {
        if (!Array.isArray(enumValues)) throw new DataError('Invalid JSON schema: enum must be an array')
        found.push({ kind: 'enum', values: enumValues, unprocessed: new Map() })
      }
      for (const criterion of COMBINERS) {
        const subs = take(criterion)
        if (subs === undefined) continue
        if (!Array.isArray(subs)) throw new DataError(`Invalid JSON schema: ${criterion} must be an array`)
        found.push({ kind: 'combined', criterion, subschemas: subs.map(s => this.#load(s, doc)), synthetic: false, unprocessed: new Map() })
      }
      if (take('not') !== undefined) found.push({ kind: 'not', unprocessed: new Map() })
      if (this.#draft !== 'draft4' && remaining.has('const')) found.push({ kind: 'const', value: take('const')!, unprocessed: new Map() })
      const type = take('type')
      if (type !== undefined) {
        if (Array.isArray(type)) {
          found.push({ kind: 'combined', criterion: 'anyOf', subschemas: type.map(t => this.#explicitType(t, remaining, doc)), synthetic: false, unprocessed: new Map() })
        } else {
          found.push(this.#explicitType(type, remaining, doc))
        }
      }
      // Keywords that imply a type where "type" is absent (or did not take them).
      if (this.#arrayProps().some(k => remaining.has(k))) found.push(this.#array(remaining, doc))
      if (this.#objectProps().some(k => remaining.has(k))) found.push(this.#object(remaining, doc))
      if (NUMBER_PROPS.some(k => remaining.has(k))) found.push(this.#number(remaining, false))
      if (STRING_PROPS.some(k => remaining.has(k))) found.push(this.#string(remaining))
      if (this.#draft !== 'draft4' && this.#draft !== 'draft6' && CONDITIONAL_PROPS.some(k => remaining.has(k))) {
        for (const k of CONDITIONAL_PROPS) remaining.delete(k)
        found.push({ kind: 'conditional', unprocessed: new Map() })
      }
    }
    const schema: Loaded = found.length === 0
      ? { kind: 'empty', unprocessed: new Map() }
      : found.length === 1 ? found[0]! : { kind: 'combined', criterion: 'allOf', subschemas: found, synthetic: true, unprocessed: new Map() }
    take(this.#draft === 'draft4' ? 'id' : '$id')
    const title = take('title')
    if (typeof title === 'string') schema.title = title
    const description = take('description')
    if (typeof description === 'string') schema.description = description
    if (this.#draft === 'draft7') {
      take('readOnly')
      take('writeOnly')
    }
    if (remaining.has('default')) schema.default = take('default')!
    schema.unprocessed = remaining
    return schema
  }

  #arrayProps (): string[] { return this.#draft === 'draft4' ? ARRAY_PROPS_V4 : ARRAY_PROPS }
  #objectProps (): string[] { return this.#draft === 'draft4' ? OBJECT_PROPS_V4 : OBJECT_PROPS }

  #explicitType (type: JsonNode, remaining: JsonObject, doc: Doc): Loaded {
    switch (type) {
      case 'string': return this.#string(remaining)
      case 'integer': return this.#number(remaining, true)
      case 'number': return this.#number(remaining, false)
      case 'boolean': return { kind: 'boolean', unprocessed: new Map() }
      case 'null': return { kind: 'null', unprocessed: new Map() }
      case 'array': return this.#array(remaining, doc)
      case 'object': return this.#object(remaining, doc)
    }
    throw new DataError(`Invalid JSON schema: unknown type: [${typeof type === 'string' ? type : nodeType(type)}]`)
  }

  #number (remaining: JsonObject, requiresInteger: boolean): Loaded {
    for (const k of NUMBER_PROPS) remaining.delete(k)
    return { kind: 'number', requiresInteger, unprocessed: new Map() }
  }

  #string (remaining: JsonObject): Loaded {
    for (const k of STRING_PROPS) remaining.delete(k)
    return { kind: 'string', unprocessed: new Map() }
  }

  #array (remaining: JsonObject, doc: Doc): Loaded {
    const items = remaining.get('items')
    for (const k of this.#arrayProps()) remaining.delete(k)
    // A tuple ("items": [...]) has no schema for all items.
    const all = items === undefined || Array.isArray(items) ? null : this.#load(items, doc)
    return { kind: 'array', items: all, unprocessed: new Map() }
  }

  #object (remaining: JsonObject, doc: Doc): Loaded {
    const properties = remaining.get('properties')
    const additional = remaining.get('additionalProperties')
    const required = remaining.get('required')
    for (const k of this.#objectProps()) remaining.delete(k)
    const idKeyword = this.#draft === 'draft4' ? 'id' : '$id'
    const props: Array<[string, Loaded]> = []
    if (properties !== undefined) {
      if (!isObjectNode(properties)) throw new DataError('Invalid JSON schema: properties must be an object')
      for (const [name, def] of properties) {
        if (name !== idKeyword || isObjectNode(def)) props.push([name, this.#load(def, doc)])
      }
    }
    return {
      kind: 'object',
      properties: javaHashMapOrder(props, javaStringHash),
      required: Array.isArray(required) ? required.filter((r): r is string => typeof r === 'string') : [],
      additionalPropertiesSchema: isObjectNode(additional) ? this.#load(additional, doc) : null,
      permitsAdditionalProperties: additional !== false,
      unprocessed: new Map()
    }
  }

  #reference (ref: string, doc: Doc): Loaded {
    const hash = ref.indexOf('#')
    const base = hash < 0 ? ref : ref.slice(0, hash)
    const pointer = hash < 0 ? '' : ref.slice(hash + 1)
    let target = doc
    if (base !== '') {
      const found = this.#docs.get(base) ?? this.#docs.get(base.replace(/^\.\//, '')) ?? this.#docs.get(`./${base}`)
      if (found === undefined) throw new DataError(`Invalid JSON schema: cannot resolve $ref ${ref}: no referenced schema named ${base}`)
      target = found
    }
    // Loaded on first use and once per target: a schema that refers to itself loads (its inner $ref stays unresolved
    // until converted), and two references to one definition share one target, as in the library.
    const resolve = (): Loaded => {
      const cached = target.targets.get(pointer)
      if (cached !== undefined) return cached
      const node = evaluatePointer(target.root, pointer) ?? evaluatePointer(target.root, otherDefinitionsBucket(pointer))
      if (node === undefined) throw new DataError(`Invalid JSON schema: cannot resolve $ref ${ref}`)
      const result = this.#load(node, target)
      target.targets.set(pointer, result)
      return result
    }
    return { kind: 'ref', ref, target: resolve, unprocessed: new Map() }
  }
}

/** A JSON pointer (RFC 6901, percent-decoded as a URI fragment) into a document; undefined where nothing is. */
function evaluatePointer (root: JsonNode, pointer: string): JsonNode | undefined {
  let node: JsonNode | undefined = root
  if (pointer === '' || pointer === '/') return root
  if (!pointer.startsWith('/')) return undefined
  for (const raw of pointer.slice(1).split('/')) {
    const token = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~')
    if (isObjectNode(node)) node = node.get(token)
    else if (Array.isArray(node) && /^\d+$/.test(token)) node = node[Number(token)]
    else return undefined
    if (node === undefined) return undefined
  }
  return node
}

/** Confluent bridges the top-level "definitions" and "$defs" buckets, so a pointer into one finds the other's. */
function otherDefinitionsBucket (pointer: string): string {
  if (pointer.startsWith('/$defs/')) return `/definitions/${pointer.slice(7)}`
  if (pointer.startsWith('/definitions/')) return `/$defs/${pointer.slice(13)}`
  return pointer
}

/** An integer keyword value (connect.index, connect.version), or undefined when absent. */
export function intProperty (schema: Loaded, key: string): number | undefined {
  const v = schema.unprocessed.get(key)
  if (v === undefined || v === null) return undefined
  if (!(v instanceof JsonNumber) || !v.integral || !Number.isSafeInteger(Number(v.text))) {
    throw new DataError(`Invalid JSON schema: ${key} must be an integer`)
  }
  return Number(v.text)
}

export function stringProperty (schema: Loaded, key: string): string | undefined {
  const v = schema.unprocessed.get(key)
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'string') throw new DataError(`Invalid JSON schema: ${key} must be a string`)
  return v
}
