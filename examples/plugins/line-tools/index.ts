/**
 * Example plugins written in TypeScript: a predicate and a converter. Load them with `plugin.path=examples/plugins`.
 *
 *   predicates=short
 *   predicates.short.type=com.example.ShorterThan
 *   predicates.short.length=10
 *   transforms=upper
 *   transforms.upper.type=com.example.UppercaseValue
 *   transforms.upper.predicate=short          # upper-case only short lines
 *
 *   value.converter=com.example.ReversedStringConverter
 */
import {
  ConfigDef, Range, Schemas, definePlugins, plugin,
  type AnyRecord, type Converter, type Headers, type Predicate, type Schema, type SchemaAndValue
} from 'connect-standalone/api'

const LENGTH_CONFIG = 'length'
const SHORTER_THAN_CONFIG_DEF = new ConfigDef().define({
  name: LENGTH_CONFIG, type: 'int', default: 80, validator: Range.atLeast(0), importance: 'high',
  documentation: 'Records whose string value is shorter than this many characters match.'
})

/** Matches records whose value is a string shorter than `length`. */
class ShorterThan implements Predicate {
  readonly kind = 'predicate'
  #length = 80
  configure (configs: Readonly<Record<string, string>>): void {
    this.#length = SHORTER_THAN_CONFIG_DEF.parse(configs, 'ShorterThan').int(LENGTH_CONFIG)
  }

  test (record: AnyRecord): boolean { return typeof record.value === 'string' && record.value.length < this.#length }
  config (): ConfigDef { return SHORTER_THAN_CONFIG_DEF }
}

/** Writes strings reversed (by code point) and reads them back the same way: a toy, to show the converter SPI. */
class ReversedStringConverter implements Converter {
  readonly kind = 'converter'
  configure (_configs: Readonly<Record<string, string>>, _isKey: boolean): void {}
  fromConnectData (_topic: string, _headers: Headers, _schema: Schema | null, value: unknown): Buffer | null {
    return value === null || value === undefined ? null : Buffer.from([...String(value)].reverse().join(''), 'utf8')
  }

  toConnectData (_topic: string, _headers: Headers, value: Buffer | null): SchemaAndValue {
    return { schema: Schemas.OPTIONAL_STRING, value: value === null ? null : [...value.toString('utf8')].reverse().join('') }
  }

  config (): ConfigDef { return new ConfigDef() }
}

export default definePlugins([
  plugin({ kind: 'predicate', className: 'com.example.ShorterThan', version: '1.0.0', create: () => new ShorterThan() }),
  plugin({ kind: 'converter', className: 'com.example.ReversedStringConverter', version: '1.0.0', create: () => new ReversedStringConverter() })
])
