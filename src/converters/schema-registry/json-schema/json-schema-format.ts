/**
 * The JSON Schema format of the Schema Registry converters (Confluent's io.confluent.connect.json.JsonSchemaConverter):
 * Connect schemas to and from JSON Schema as JsonSchemaData maps them, payloads as the JSON text its serializer
 * writes, and the optional validation of payloads against their schema (json.fail.invalid.schema) with ajv, compiled
 * once per schema.
 */
import AjvModule, { type ErrorObject, type ValidateFunction } from 'ajv'
import Ajv2019Module from 'ajv/dist/2019.js'
import Ajv2020Module from 'ajv/dist/2020.js'
import { DataError, type ParsedConfig, type Schema } from '../../../api/index.ts'
import { JsonNumber, isObjectNode, readJson, type JsonNode } from '../../../util/json-reader.ts'
import type { FormatSchema, ResolvedReference, SchemaFormat, SchemaFormatFactory } from '../schema-format.ts'
import { connectToJson, type ToJsonOptions } from './connect-to-json.ts'
import { FromConnectSchema } from './from-connect-schema.ts'
import { JSON_SCHEMA_CONFIG_DEF, jsonSchemaSettings, type JsonSchemaSettings } from './json-schema-config.ts'
import { JsonToConnect } from './json-to-connect.ts'
import { writeJson, writePrettyJson } from './json-text.ts'
import { SchemaLoader, draftOf, parseJsonText, type Draft, type Loaded } from './schema-loader.ts'
import { ToConnectSchema } from './to-connect-schema.ts'

// ajv is CommonJS: under Node's ESM interop each class is its module's `default`.
type AjvClass = typeof AjvModule.default
const interop = (m: unknown): AjvClass => (m as { default?: AjvClass }).default ?? (m as AjvClass)
const Ajv7 = interop(AjvModule)
const Ajv2019 = interop(Ajv2019Module)
const Ajv2020 = interop(Ajv2020Module)

/** A JSON Schema as registered: its text, its parsed tree and those of the schemas it references. */
export class JsonFormatSchema implements FormatSchema {
  readonly text: string
  readonly recordName: string | null
  readonly references: readonly ResolvedReference[]
  readonly tree: JsonNode
  readonly draft: Draft
  readonly #referenceTrees: ReadonlyMap<string, JsonNode>
  #loaded: Loaded | undefined
  #validator: ValidateFunction | undefined

  constructor (text: string, tree: JsonNode, references: readonly ResolvedReference[], referenceTrees: ReadonlyMap<string, JsonNode>) {
    this.text = text
    this.tree = tree
    this.references = references
    this.#referenceTrees = referenceTrees
    this.draft = draftOf(tree)
    // JsonSchema.name(): the root's title, which RecordNameStrategy names subjects after.
    const title = isObjectNode(tree) ? tree.get('title') : undefined
    this.recordName = title === undefined || title === null ? null : typeof title === 'string' ? title : writeJson(title)
  }

  /** The schema model, loaded once. */
  loaded (ignoreModernDialects: boolean): Loaded {
    if (this.#loaded === undefined) {
      const modern = this.draft === 'draft2019' || this.draft === 'draft2020'
      this.#loaded = new SchemaLoader(this.tree, this.#referenceTrees, modern && ignoreModernDialects ? 'draft7' : this.draft).load()
    }
    return this.#loaded
  }

  /** The payload validator, compiled on first use and kept with the schema. */
  validator (ignoreModernDialects: boolean): ValidateFunction {
    if (this.#validator === undefined) this.#validator = compileValidator(this, this.#referenceTrees, ignoreModernDialects)
    return this.#validator
  }
}

/** The JSON trees as plain JavaScript values (for ajv): numbers as doubles, objects as plain objects. */
function toPlain (node: JsonNode): unknown {
  if (node instanceof JsonNumber) return Number(node.text)
  if (Array.isArray(node)) return node.map(toPlain)
  if (isObjectNode(node)) return Object.fromEntries([...node].map(([k, v]) => [k, toPlain(v)]))
  return node
}

function compileValidator (schema: JsonFormatSchema, references: ReadonlyMap<string, JsonNode>, ignoreModernDialects: boolean): ValidateFunction {
  const modern = !ignoreModernDialects && (schema.draft === 'draft2019' || schema.draft === 'draft2020')
  const AjvClass = !modern ? Ajv7 : schema.draft === 'draft2019' ? Ajv2019 : Ajv2020
  // strict off: connect.* and other unknown keywords are annotations; formats are not checked (no ajv-formats here).
  const ajv = new AjvClass({ strict: false, allErrors: true, validateFormats: false, allowUnionTypes: true })
  const prepare = (node: JsonNode): Record<string, unknown> | boolean => {
    const plain = toPlain(node) as Record<string, unknown> | boolean
    // Draft 4 and 6 have no validator class in ajv 8: they are checked as draft 7, which reads them alike but for
    // draft 4's boolean exclusiveMinimum/exclusiveMaximum.
    if (!modern && typeof plain === 'object' && typeof plain.$schema === 'string' && !/draft-07/.test(plain.$schema)) delete plain.$schema
    return plain
  }
  try {
    for (const [name, node] of references) {
      const plain = prepare(node)
      ajv.addSchema(typeof plain === 'object' ? { ...plain, $id: typeof plain.$id === 'string' ? plain.$id : name } : plain, name)
    }
    return ajv.compile(prepare(schema.tree))
  } catch (err) {
    throw new DataError(`Cannot compile the JSON schema for validation: ${(err as Error).message}`, { cause: err })
  }
}

function validationReport (errors: readonly ErrorObject[] | null | undefined): string {
  return (errors ?? []).map(e => `${e.instancePath === '' ? '#' : `#${e.instancePath}`}: ${e.message ?? e.keyword}`).join('\n')
}

/** A small LRU map: the schema caches are bounded by schemas.cache.config. */
class BoundedCache<K, V> {
  readonly #max: number
  readonly #map = new Map<K, V>()
  constructor (max: number) { this.#max = max }
  get (key: K): V | undefined {
    const v = this.#map.get(key)
    if (v !== undefined) {
      this.#map.delete(key)
      this.#map.set(key, v)
    }
    return v
  }

  set (key: K, value: V): void {
    this.#map.delete(key)
    this.#map.set(key, value)
    if (this.#map.size > this.#max) this.#map.delete(this.#map.keys().next().value!)
  }
}

export class JsonSchemaFormat implements SchemaFormat<JsonFormatSchema> {
  readonly type = 'JSON' as const
  readonly settings: JsonSchemaSettings
  readonly #fromConnect: FromConnectSchema
  readonly #values = new JsonToConnect()
  readonly #toConnect: ToConnectSchema
  readonly #toJson: ToJsonOptions
  readonly #fromConnectCache: BoundedCache<Schema, JsonFormatSchema>
  readonly #toConnectCache: BoundedCache<JsonFormatSchema, Map<number | null, Schema>>

  constructor (settings: JsonSchemaSettings) {
    this.settings = settings
    this.#fromConnect = new FromConnectSchema(settings)
    this.#toConnect = new ToConnectSchema(settings, this.#values)
    this.#toJson = { decimalFormat: settings.decimalFormat, ignoreDefaultForNullables: settings.ignoreDefaultForNullables }
    this.#fromConnectCache = new BoundedCache(settings.schemaCacheSize)
    this.#toConnectCache = new BoundedCache(settings.schemaCacheSize)
  }

  fromConnectSchema (schema: Schema | null): JsonFormatSchema {
    // JsonSchemaData.fromConnectSchema(null) is null, which Confluent's serializer then cannot use.
    if (schema === null) throw new DataError('The JSON Schema converter needs a schema: schemaless data has no JSON Schema')
    const cached = this.#fromConnectCache.get(schema)
    if (cached !== undefined) return cached
    const tree = this.#fromConnect.toJsonTree(schema)
    const result = new JsonFormatSchema(writeJson(tree), tree, [], new Map())
    if (Object.isFrozen(schema)) this.#fromConnectCache.set(schema, result)
    return result
  }

  parse (text: string, references: readonly ResolvedReference[]): JsonFormatSchema {
    const tree = parseJsonText(text, 'JSON schema')
    if (!isObjectNode(tree) && typeof tree !== 'boolean') throw new DataError('Invalid JSON schema: expected an object or boolean at the root')
    const referenceTrees = new Map(references.map(r => [r.name, parseJsonText(r.schema, `JSON schema ${r.name}`)]))
    return new JsonFormatSchema(text, tree, references, referenceTrees)
  }

  /**
   * JsonSchemaData.toConnectSchema. `version` is the registry's version of the schema, which Confluent gives the
   * top-level Connect schema when the schema has no connect.version (its converter passes it; so may ours).
   */
  toConnectSchema (schema: JsonFormatSchema, version?: number): Schema {
    let byVersion = this.#toConnectCache.get(schema)
    const cached = byVersion?.get(version ?? null)
    if (cached !== undefined) return cached
    const result = this.#toConnect.convert(schema.loaded(this.settings.ignoreModernDialects), version ?? null)
    if (byVersion === undefined) this.#toConnectCache.set(schema, byVersion = new Map())
    byVersion.set(version ?? null, result)
    return result
  }

  serialize (schema: JsonFormatSchema, connectSchema: Schema | null, value: unknown): Buffer {
    if (connectSchema === null) throw new DataError('The JSON Schema converter needs a schema: schemaless data has no JSON Schema')
    const node = connectToJson(connectSchema, value, this.#toJson)
    // Confluent's converter writes no record at all for this (a null value); a format must give bytes.
    if (node === undefined) throw new DataError(`Invalid null value for required ${connectSchema.type.toUpperCase()} schema without a default`)
    if (this.settings.failInvalidSchema) this.#validate(schema, node, 'Validation error in JSON')
    return Buffer.from(this.settings.indentOutput ? writePrettyJson(node) : writeJson(node), 'utf8')
  }

  deserialize (schema: JsonFormatSchema, connectSchema: Schema | null, payload: Buffer): unknown {
    if (connectSchema === null) throw new DataError('The JSON Schema converter needs a schema to read a payload')
    let node: JsonNode | undefined
    try {
      node = readJson(payload)
    } catch (err) {
      throw new DataError(`Invalid JSON payload: ${(err as Error).message}`, { cause: err })
    }
    if (this.settings.failInvalidSchema && node !== undefined) this.#validate(schema, node, 'JSON does not match schema')
    return this.#values.toConnect(connectSchema, node)
  }

  #validate (schema: JsonFormatSchema, node: JsonNode, what: string): void {
    const validate = schema.validator(this.settings.ignoreModernDialects)
    if (!validate(toPlain(node))) throw new DataError(`${what}, Error report:\n${validationReport(validate.errors)}`)
  }
}

export const JsonSchemaFormatFactory: SchemaFormatFactory = Object.freeze({
  type: 'JSON' as const,
  configDef: JSON_SCHEMA_CONFIG_DEF,
  writesNullValues: true,
  create (config: ParsedConfig): SchemaFormat {
    return new JsonSchemaFormat(jsonSchemaSettings(config))
  }
})
