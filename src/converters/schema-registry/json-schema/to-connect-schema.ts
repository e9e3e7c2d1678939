/**
 * The Connect schema Confluent's JsonSchemaData.toConnectSchema gives for a JSON Schema, written by a Connect converter
 * (connect.* properties) or by another producer:
 *  - integer -> INT64, number -> FLOAT64, unless connect.type names the Connect type (bytes: a NUMERIC Decimal);
 *    string -> STRING (BYTES with connect.type bytes); enum/const -> STRING with the symbols as parameters;
 *  - object -> STRUCT named by its title, fields ordered by connect.index, else in java.util.HashMap order of the
 *    property names; an object with connect.type map -> MAP with string keys; an array with connect.type map whose
 *    items are {key, value} objects -> MAP; other arrays -> ARRAY (an array without one items schema is an error);
 *  - oneOf/anyOf of null and one schema -> that schema, optional; other oneOf/anyOf -> a union STRUCT
 *    (io.confluent.connect.json.OneOf, or connect_union_N with generalized.sum.type.support) with one optional field
 *    per branch; a single-branch one is flattened (flatten.singleton.unions);
 *  - allOf: the properties of its objects merged into one unnamed STRUCT, else its combined, enum, number or string part;
 *  - title -> name, description -> doc, connect.version (else the registry version, top level only) -> version,
 *    connect.parameters -> parameters, default -> default value; properties not "required" are optional only with
 *    use.optional.for.nonrequired.
 * A definition referenced twice gives, the second time, the first's STRUCT with an io.confluent.connect.json.Id
 * parameter, as Confluent's does; a recursive schema is refused (Connect schemas here cannot refer to themselves).
 */
import { DataError, SchemaBuilder, Schemas, type Schema } from '../../../api/index.ts'
import { isObjectNode, type JsonNode } from '../../../util/json-reader.ts'
import type { JsonToConnect } from './json-to-connect.ts'
import type { JsonSchemaSettings } from './json-schema-config.ts'
import {
  CONNECT_INDEX_PROP, CONNECT_PARAMETERS_PROP, CONNECT_TYPE_BYTES, CONNECT_TYPE_MAP, CONNECT_TYPE_PROP, CONNECT_VERSION_PROP,
  GENERALIZED_TYPE_ENUM, GENERALIZED_TYPE_UNION, GENERALIZED_TYPE_UNION_FIELD_PREFIX, GENERALIZED_TYPE_UNION_PREFIX,
  JSON_ID_PROP, JSON_TYPE_ENUM, JSON_TYPE_ONE_OF, KEY_FIELD, NULL_MARKER, VALUE_FIELD
} from './names.ts'
import { intProperty, stringProperty, type Loaded } from './schema-loader.ts'

type Of<K extends Loaded['kind']> = Extract<Loaded, { kind: K }>

const DEFAULT_ID_PREFIX = '#id'

/** One conversion's state: structs converted so far (for repeated references) and the id and union counters. */
class Context {
  readonly structs = new Map<Loaded, Schema>()
  readonly inProgress = new Set<Loaded>()
  idIndex = 0
  unionIndex = 0
}

export class ToConnectSchema {
  readonly #settings: JsonSchemaSettings
  readonly #values: JsonToConnect

  constructor (settings: JsonSchemaSettings, values: JsonToConnect) {
    this.#settings = settings
    this.#values = values
  }

  convert (schema: Loaded, version: number | null): Schema {
    return this.#convert(new Context(), schema, version, false)
  }

  #convert (ctx: Context, schema: Loaded, version: number | null, forceOptional: boolean): Schema {
    let builder: SchemaBuilder
    switch (schema.kind) {
      case 'boolean':
        builder = SchemaBuilder.bool()
        break
      case 'number':
        builder = numberBuilder(schema)
        break
      case 'string':
        builder = stringProperty(schema, CONNECT_TYPE_PROP) === CONNECT_TYPE_BYTES ? SchemaBuilder.bytes() : SchemaBuilder.string()
        break
      case 'const':
        builder = this.#enumBuilder([schema.value])
        break
      case 'enum':
        builder = this.#enumBuilder(schema.values)
        break
      case 'combined': {
        if (schema.subschemas.length === 1 && this.#settings.flattenSingletonUnions) return this.#convert(ctx, schema.subschemas[0]!, null, false)
        if (schema.criterion === 'allOf') return this.#allOf(ctx, schema, version, forceOptional)
        const name = this.#settings.generalizedSumTypeSupport ? `${GENERALIZED_TYPE_UNION_PREFIX}${ctx.unionIndex++}` : JSON_TYPE_ONE_OF
        if (schema.subschemas.length === 2) {
          const nonNull = schema.subschemas.find(s => s.kind !== 'null')
          if (nonNull !== undefined && schema.subschemas.some(s => s.kind === 'null')) return this.#convert(ctx, nonNull, version, true)
        }
        builder = SchemaBuilder.struct().name(name)
        if (this.#settings.generalizedSumTypeSupport) builder.parameter(GENERALIZED_TYPE_UNION, name)
        let index = 0
        for (const sub of schema.subschemas) {
          if (sub.kind === 'null') {
            builder.optional()
          } else {
            const fieldName = this.#settings.generalizedSumTypeSupport ? `${GENERALIZED_TYPE_UNION_FIELD_PREFIX}${index}` : `${name}.field.${index}`
            builder.field(fieldName, this.#convert(ctx, sub, null, true))
            index++
          }
        }
        break
      }
      case 'array': {
        if (schema.items === null) throw new DataError('Array schema did not specify the items type')
        const items = schema.items
        if (stringProperty(schema, CONNECT_TYPE_PROP) === CONNECT_TYPE_MAP && items.kind === 'object') {
          const key = items.properties.find(([n]) => n === KEY_FIELD)?.[1]
          const value = items.properties.find(([n]) => n === VALUE_FIELD)?.[1]
          if (key === undefined || value === undefined) throw new DataError('Invalid JSON schema: a map\'s entries need "key" and "value" properties')
          builder = SchemaBuilder.map(this.#convert(ctx, key, null, false), this.#convert(ctx, value, null, false))
        } else {
          builder = SchemaBuilder.array(this.#convert(ctx, items, null, false))
        }
        break
      }
      case 'object':
        if (stringProperty(schema, CONNECT_TYPE_PROP) === CONNECT_TYPE_MAP) {
          if (schema.additionalPropertiesSchema === null) throw new DataError('Invalid JSON schema: a map needs an additionalProperties schema')
          builder = SchemaBuilder.map(Schemas.STRING, this.#convert(ctx, schema.additionalPropertiesSchema, null, false))
        } else {
          builder = this.#struct(ctx, schema)
        }
        break
      case 'ref':
        return this.#reference(ctx, schema, version, forceOptional)
      default:
        throw new DataError(`Unsupported schema type ${unsupportedKind(schema.kind)}`)
    }
    return this.#finish(schema, builder, version, forceOptional)
  }

  /** What every kind shares: title, version, description, parameters, default, optional (in Confluent's order). */
  #finish (schema: Loaded, builder: SchemaBuilder, version: number | null, forceOptional: boolean): Schema {
    const partial = builder.build()
    if (schema.title !== undefined && partial.name === undefined) builder.name(schema.title)
    const connectVersion = intProperty(schema, CONNECT_VERSION_PROP)
    if (connectVersion !== undefined) builder.version(connectVersion)
    else if (version !== null) builder.version(version)
    if (schema.description !== undefined) builder.doc(schema.description)
    const parameters = schema.unprocessed.get(CONNECT_PARAMETERS_PROP)
    if (parameters !== undefined && parameters !== null) builder.parameters(stringMap(parameters))
    if (schema.default !== undefined) {
      const target = builder.build()
      if (target.type === 'struct') {
        // Kafka's SchemaBuilder checks a default Struct against the builder itself, which never equals the built
        // schema the Struct was made for: Confluent's converter fails here the same way.
        throw new DataError('Invalid default value', { cause: new DataError('Struct schemas do not match.') })
      }
      builder.defaultValue(this.#values.toConnect(target, schema.default))
    }
    if (forceOptional) builder.optional()
    return builder.build()
  }

  #enumBuilder (values: readonly JsonNode[]): SchemaBuilder {
    const generalized = this.#settings.generalizedSumTypeSupport
    const param = generalized ? GENERALIZED_TYPE_ENUM : JSON_TYPE_ENUM
    // JSON enums have no name: an empty string stands in for it.
    const builder = SchemaBuilder.string().parameter(param, '')
    values.forEach((v, i) => {
      const symbol = v === null ? NULL_MARKER : javaText(v)
      builder.parameter(`${param}.${symbol}`, generalized ? String(i) : symbol)
    })
    return builder
  }

  #struct (ctx: Context, schema: Of<'object'>): SchemaBuilder {
    const builder = SchemaBuilder.struct()
    // Fields by connect.index; a property without one takes the count so far, and a later one with an index already
    // taken replaces it (a TreeMap's put), as in Confluent's.
    const sorted = new Map<number, [string, Loaded]>()
    for (const property of schema.properties) {
      const index = intProperty(property[1], CONNECT_INDEX_PROP) ?? sorted.size
      sorted.set(index, property)
    }
    for (const index of [...sorted.keys()].sort((a, b) => a - b)) {
      const [name, sub] = sorted.get(index)!
      const optional = this.#settings.useOptionalForNonRequired && !schema.required.includes(name)
      builder.field(name, this.#convert(ctx, sub, null, optional))
    }
    return builder
  }

  #allOf (ctx: Context, schema: Of<'combined'>, version: number | null, forceOptional: boolean): Schema {
    let constSchema: Loaded | undefined
    let enumSchema: Loaded | undefined
    let numberSchema: Loaded | undefined
    let stringSchema: Loaded | undefined
    let combined: Loaded | undefined
    let reference: Of<'ref'> | undefined
    const properties = new Map<string, Loaded>()
    const required = new Map<string, boolean>()
    for (const sub of schema.subschemas) {
      switch (sub.kind) {
        case 'const': constSchema = sub; break
        case 'enum': enumSchema = sub; break
        case 'number': numberSchema = sub; break
        case 'string': stringSchema = sub; break
        case 'combined': combined = sub; break
        case 'ref': reference = sub; break
        default: break
      }
      collectProperties(sub, properties, required, new Set())
    }
    if (properties.size > 0) {
      const builder = SchemaBuilder.struct()
      for (const [name, sub] of properties) {
        const optional = this.#settings.useOptionalForNonRequired && required.get(name) !== true
        builder.field(name, this.#convert(ctx, sub, null, optional))
      }
      if (forceOptional) builder.optional()
      const result = builder.build()
      ctx.structs.set(schema, result)
      return result
    }
    if (combined !== undefined) return this.#convert(ctx, combined, version, forceOptional)
    if (constSchema !== undefined) {
      if (stringSchema !== undefined) return this.#convert(ctx, stringSchema, version, forceOptional)
      if (numberSchema !== undefined) return this.#convert(ctx, numberSchema, version, forceOptional)
    } else if (enumSchema !== undefined) {
      if (stringSchema !== undefined) return this.#convert(ctx, enumSchema, version, forceOptional)
      if (numberSchema !== undefined) return this.#convert(ctx, numberSchema, version, forceOptional)
    } else if (stringSchema !== undefined) {
      // The library gives every string schema a format validator, so this holds whenever a string part exists.
      return this.#convert(ctx, numberSchema ?? stringSchema, version, forceOptional)
    } else if (reference !== undefined) {
      return this.#reference(ctx, reference, version, forceOptional)
    }
    throw new DataError('Unsupported criterion allOf for this combination of schemas')
  }

  #reference (ctx: Context, ref: Of<'ref'>, version: number | null, forceOptional: boolean): Schema {
    const target = ref.target()
    if (ctx.inProgress.has(target)) {
      throw new DataError(`Recursive JSON schemas are not supported: ${ref.ref} refers to a schema that contains it`)
    }
    const seen = ctx.structs.get(target)
    if (seen !== undefined) {
      // The struct converted before, marked with an id and with this use's optionality.
      return Object.freeze({ ...seen, optional: forceOptional, parameters: Object.freeze({ ...seen.parameters, [JSON_ID_PROP]: `${DEFAULT_ID_PREFIX}${++ctx.idIndex}` }) })
    }
    ctx.inProgress.add(target)
    try {
      const result = this.#convert(ctx, target, version, forceOptional)
      if (target.kind === 'object' && result.type === 'struct') ctx.structs.set(target, result)
      return result
    } finally {
      ctx.inProgress.delete(target)
    }
  }
}

function numberBuilder (schema: Of<'number'>): SchemaBuilder {
  const type = stringProperty(schema, CONNECT_TYPE_PROP)
  switch (type) {
    case undefined: return schema.requiresInteger ? SchemaBuilder.int64() : SchemaBuilder.float64()
    case 'int8': return SchemaBuilder.int8()
    case 'int16': return SchemaBuilder.int16()
    case 'int32': return SchemaBuilder.int32()
    case 'int64': return SchemaBuilder.int64()
    case 'float32': return SchemaBuilder.float32()
    case 'float64': return SchemaBuilder.float64()
    // A Decimal written as a JSON number (decimal.format=NUMERIC).
    case CONNECT_TYPE_BYTES: return SchemaBuilder.bytes()
    default: throw new DataError(`Unsupported type ${type}`)
  }
}

/** allOf's properties: those of its objects, nested allOfs and referenced schemas, the last of a name winning. */
function collectProperties (schema: Loaded, properties: Map<string, Loaded>, required: Map<string, boolean>, visited: Set<Loaded>): void {
  if (visited.has(schema)) return
  visited.add(schema)
  if (schema.kind === 'combined' && schema.criterion === 'allOf') {
    for (const sub of schema.subschemas) collectProperties(sub, properties, required, visited)
  } else if (schema.kind === 'object') {
    for (const [name, sub] of schema.properties) {
      properties.set(name, sub)
      required.set(name, schema.required.includes(name))
    }
  } else if (schema.kind === 'ref') {
    collectProperties(schema.target(), properties, required, visited)
  }
}

function stringMap (node: JsonNode): Record<string, string> {
  if (!isObjectNode(node)) throw new DataError(`Invalid JSON schema: ${CONNECT_PARAMETERS_PROP} must be an object`)
  const out: Record<string, string> = {}
  for (const [k, v] of node) {
    if (typeof v !== 'string') throw new DataError(`Invalid JSON schema: ${CONNECT_PARAMETERS_PROP} values must be strings`)
    out[k] = v
  }
  return out
}

/** Java's toString of an enum symbol as org.json holds it (a string as itself, a number or boolean as its text). */
function javaText (v: JsonNode): string {
  if (typeof v === 'string') return v
  if (typeof v === 'boolean') return String(v)
  if (v !== null && typeof v === 'object' && 'text' in v) return v.text
  return JSON.stringify(v instanceof Map ? Object.fromEntries(v) : v)
}

const LIBRARY_CLASSES: Record<string, string> = {
  empty: 'EmptySchema (Confluent reads it as its Variant type, which this runtime does not have)',
  true: 'TrueSchema (Confluent reads it as its Variant type, which this runtime does not have)',
  false: 'FalseSchema',
  not: 'NotSchema',
  conditional: 'ConditionalSchema'
}

function unsupportedKind (kind: string): string {
  return `org.everit.json.schema.${LIBRARY_CLASSES[kind] ?? kind}`
}
