/**
 * ExtractField (Kafka's ExtractField$Key / $Value): replaces the key or value with one of its fields, optionally a
 * nested one (field.syntax.version=V2, KIP-821).
 */
import { ConfigDef, ConfigError, DataError, ValidString } from '../api/index.ts'
import type { AnyRecord, Field, Schema, Transformation } from '../api/index.ts'
import { REPLACE_NULL_WITH_DEFAULT_CONFIG, REPLACE_NULL_WITH_DEFAULT_KEY, fieldValue, operatingSchema, operatingValue, parseConfig, withOperating, keyValueDescriptors } from './util/common.ts'
import type { Side } from './util/common.ts'
import { mapGet, requireMap, requireMapOrNull, requireStruct, requireStructOrNull } from './util/requires.ts'

const PURPOSE = 'field extraction'
export const FIELD_SYNTAX_VERSION_CONFIG = 'field.syntax.version'

export const EXTRACT_FIELD_CONFIG_DEF = new ConfigDef()
  .define({ name: 'field', type: 'string', importance: 'medium', documentation: 'Field name to extract.' })
  .define(REPLACE_NULL_WITH_DEFAULT_KEY)
  .define({
    name: FIELD_SYNTAX_VERSION_CONFIG,
    type: 'string',
    default: 'V1',
    validator: ValidString.inCaseInsensitive('V1', 'V2'),
    importance: 'high',
    documentation: 'Defines the version of the syntax to access fields. If set to <code>V1</code>, then the field paths are limited to access the elements at the root level of the struct or map. If set to <code>V2</code>, the syntax will support accessing nested elements. To access nested elements, dotted notation is used. If dots are already included in the field name, then backtick pairs can be used to wrap field names containing dots. E.g. to access the subfield <code>baz</code> from a field named "foo.bar" in a struct/map the following format can be used to access its elements: "<code>foo.bar</code>.baz".'
  })

/**
 * KIP-821 V2 paths: steps split on dots; a step starting with a backtick runs to the next backtick that is followed by
 * a dot or ends the path (a backslash right before it makes it literal).
 */
export function parseFieldPathV2 (path: string): string[] {
  const steps: string[] = []
  let i = 0
  while (i < path.length) {
    if (path[i] === '`') {
      const open = i
      let name = ''
      let j = i + 1
      let closed = false
      while (j < path.length) {
        const ch = path[j]!
        if (ch === '`' && (j + 1 === path.length || path[j + 1] === '.')) {
          if (path[j - 1] === '\\' && j - 1 > open) {
            name = name.slice(0, -1) + '`'
            j++
            continue
          }
          closed = true
          break
        }
        name += ch
        j++
      }
      if (!closed) {
        throw new ConfigError(`Incomplete backtick pair in path: [${path}], consider adding a backslash before backtick at position ${open} to escape it`)
      }
      steps.push(name)
      i = j + 1
      if (i === path.length) break
      i++ // the dot
      if (i === path.length) steps.push('')
      continue
    }
    const dot = path.indexOf('.', i)
    if (dot === -1) {
      steps.push(path.slice(i))
      break
    }
    steps.push(path.slice(i, dot))
    i = dot + 1
    if (i === path.length) steps.push('')
  }
  return steps
}

abstract class ExtractField implements Transformation {
  readonly kind = 'transformation' as const
  protected abstract readonly side: Side
  #original = ''
  #steps: string[] = []
  #replaceNullWithDefault = true

  configure (configs: Readonly<Record<string, string>>): void {
    const config = parseConfig(EXTRACT_FIELD_CONFIG_DEF, configs)
    this.#original = config.string('field') ?? ''
    const v2 = (config.string(FIELD_SYNTAX_VERSION_CONFIG) ?? 'V1').toUpperCase() === 'V2'
    this.#steps = v2 ? parseFieldPathV2(this.#original) : [this.#original]
    this.#replaceNullWithDefault = config.boolean(REPLACE_NULL_WITH_DEFAULT_CONFIG)
  }

  apply<R extends AnyRecord> (record: R): R {
    const schema = operatingSchema(record, this.side)
    const value = operatingValue(record, this.side)
    if (!schema) {
      const map = requireMapOrNull(value, PURPOSE)
      return withOperating(record, this.side, null, map === null ? null : this.#valueFromMap(map))
    }
    const struct = requireStructOrNull(value, PURPOSE, schema)
    const field = this.#fieldFrom(schema)
    // Kafka throws IllegalArgumentException here; DataError keeps it inside the Connect error family.
    if (!field) throw new DataError(`Unknown field: ${this.#original}`)
    if (struct === null) return withOperating(record, this.side, field.schema, null)
    let current = struct
    for (const step of this.#steps.slice(0, -1)) {
      const next = current.getWithoutDefault(step)
      if (next === null) return withOperating(record, this.side, field.schema, null)
      current = requireStruct(next, 'nested field access')
    }
    return withOperating(record, this.side, field.schema, fieldValue(current, this.#steps[this.#steps.length - 1]!, this.#replaceNullWithDefault))
  }

  #valueFromMap (map: Map<unknown, unknown> | Record<string, unknown>): unknown {
    let current = map
    for (const step of this.#steps.slice(0, -1)) {
      const next = mapGet(current, step)
      if (next === null) return null
      current = requireMap(next, 'nested field access')
    }
    return mapGet(current, this.#steps[this.#steps.length - 1] ?? '')
  }

  #fieldFrom (schema: Schema): Field | undefined {
    let current: Schema | undefined = schema
    let field: Field | undefined
    for (const step of this.#steps) {
      if (!current || current.type !== 'struct') return undefined
      field = current.fields?.find(f => f.name === step)
      if (!field) return undefined
      current = field.schema
    }
    return field
  }

  config (): ConfigDef { return EXTRACT_FIELD_CONFIG_DEF }
  close (): void {}
}

export class ExtractFieldKey extends ExtractField { protected readonly side = 'key' as const }
export class ExtractFieldValue extends ExtractField { protected readonly side = 'value' as const }

export const descriptors = keyValueDescriptors('ExtractField', ExtractFieldKey, ExtractFieldValue)
