// Values.mergeSchemas and the merger parseString uses for the elements of an array or map.

import type { Schema, SchemaAndValue, SchemaType } from '../../api/index.ts'

const NUMERIC_ORDER: SchemaType[] = ['int8', 'int16', 'int32', 'int64', 'float32', 'float64']

/** Values.mergeSchemas: numbers widen (logical types too, as Apache does), equal types keep the newer schema. */
function mergeSchemas (previous: Schema, next: Schema): Schema | null {
  if (previous.type !== next.type) {
    const a = NUMERIC_ORDER.indexOf(previous.type)
    const b = NUMERIC_ORDER.indexOf(next.type)
    if (a === -1 || b === -1) return null
    return b > a ? next : previous
  }
  if (previous.optional === next.optional) return previous.optional ? previous : next
  return null
}

export class SchemaMerger {
  common: Schema | null = null
  compatible = true
  merge (latest: SchemaAndValue | null): void {
    if (latest === null || latest.schema === null || !this.compatible) return
    if (this.common === null) {
      this.common = latest.schema
    } else {
      this.common = mergeSchemas(this.common, latest.schema)
      this.compatible = this.common !== null
    }
  }
}
