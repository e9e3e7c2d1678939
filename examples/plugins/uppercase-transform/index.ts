/**
 * An example plugin written in TypeScript: a transformation that upper-cases string values.
 * Use it with `plugin.path=examples/plugins` in the worker file and, in a connector file:
 *   transforms=upper
 *   transforms.upper.type=com.example.UppercaseValue
 */
import { ConfigDef, definePlugins, newRecord, plugin, type AnyRecord, type Transformation } from 'connect-standalone/api'

class UppercaseValue implements Transformation {
  readonly kind = 'transformation'
  configure (_configs: Readonly<Record<string, string>>): void {}
  apply (record: AnyRecord): AnyRecord {
    return typeof record.value === 'string' ? newRecord(record, { value: record.value.toUpperCase() }) : record
  }

  config (): ConfigDef { return new ConfigDef() }
}

export default definePlugins([
  plugin({ kind: 'transformation', className: 'com.example.UppercaseValue', version: '1.0.0', create: () => new UppercaseValue() })
])
