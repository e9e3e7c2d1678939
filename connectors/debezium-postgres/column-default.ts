/**
 * A column's default value in its Connect schema, as Debezium's PostgresDefaultValueConverter finds it in the default
 * expression (pg_get_expr): the first quoted literal ('abc'::text → abc), else the bare expression (42, true), read by
 * the column's own value conversion. A function default (nextval(...), now(), gen_random_uuid()) or CURRENT_DATE and
 * its kin gives Debezium's placeholder for the type (0, '', 1970-01-01, ...), not "no default". Types Debezium has no
 * default reader for (money, bytea, arrays, domains, timetz, network types, ...) get no default, nor does a value that
 * becomes a struct (a variable-scale decimal).
 */
import { Struct } from '../../src/api/index.ts'
import type { TypeConverter } from './column-mapping.ts'
import { epochDayOf } from './pg-temporal-text.ts'
import type { DateConverter } from './temporal-mapping.ts'
import type { ColumnInfo } from './table-info.ts'

const LITERAL = /'(.*?)'/
const FUNCTION = /^[(]?[A-Za-z0-9_.]+\((?:.+(?:, ?.+)*)?\)/
const CURRENT_DATE_TIMES = new Set(['current_timestamp', 'current_time', 'current_date', 'localtime', 'localtimestamp'])
const TRIMMED = new Set(['bit', 'varbit', 'bool', 'numeric', 'float4', 'float8', 'int2', 'int4', 'serial', 'int8', 'bigserial',
  'smallserial', 'uuid', 'date', 'time', 'timestamp', 'timestamptz', 'interval'])
/** Types whose reader turns NULL::type into no default before anything else. */
const NULL_AWARE = new Set(['bool', 'numeric', 'float4', 'float8', 'int2', 'int4', 'int8'])

/** Per type: the placeholder of a generated default. */
const PLACEHOLDERS: Record<string, string> = {
  bit: '00', varbit: '0', bool: 'false', bpchar: '', varchar: '', text: '', numeric: '0.0', float4: '0.0', float8: '0.0', int2: '0',
  int4: '0', int8: '0', json: '{}', jsonb: '{}', xml: '', uuid: '00000000-0000-0000-0000-000000000000', date: '1970-01-01',
  time: '00:00', timestamp: '1970-01-01', timestamptz: '1970-01-01', interval: 'epoch'
}

class NoDefault extends Error {}

/** extractDefault: the placeholder for a generated value, else the first quoted literal, else the bare expression. */
function extract (expression: string, placeholder: string): string | null {
  if (FUNCTION.test(expression) || CURRENT_DATE_TIMES.has(expression.toLowerCase())) return placeholder
  if (!expression.includes("'")) return expression.startsWith('NULL::') ? null : expression
  const m = LITERAL.exec(expression)
  if (!m) throw new NoDefault()
  return m[1]!
}

/** extractEnumDefault: 'label'::type where the cast names the enum type (schema-qualified or not). */
function enumDefault (typeName: string, expression: string): string | null {
  const cast = expression.lastIndexOf('::')
  if (cast < 0) return null
  const suffix = expression.slice(cast + 2).split('.').pop()!.replace(/^"|"$/g, '')
  if (suffix !== typeName) return null
  const value = expression.slice(0, cast)
  return value.length >= 2 && value.startsWith("'") && value.endsWith("'") ? value.slice(1, -1) : null
}

/** pgjdbc's readings of date/time default text, put in the shape PostgreSQL prints values in. */
function normaliseTemporal (typeName: string, text: string): string {
  if (typeName === 'time' && /^\d{2}:\d{2}$/.test(text)) return `${text}:00`
  if ((typeName === 'timestamp' || typeName === 'timestamptz') && /^\d{4,}-\d{2}-\d{2}( BC)?$/.test(text)) {
    const [date, bc] = text.split(' ')
    // A date alone is midnight in the JVM's zone: UTC for the reference runs.
    return `${date} 00:00:00${typeName === 'timestamptz' ? '+00' : ''}${bc === undefined ? '' : ` ${bc}`}`
  }
  return text
}

/**
 * The default value for the column's schema, or undefined when Debezium sets none. `converter` is the column's type
 * mapping; its parse reads the literal as it reads PostgreSQL's text output.
 */
export function columnDefaultValue (column: ColumnInfo, converter: TypeConverter, _decimalMode: string): unknown {
  const raw = column.defaultExpression
  // Debezium reads defaults of the column's own type name only: a domain or an array has none.
  if (raw === undefined || raw === null || column.typeType === 'd' || column.elementTypeName !== undefined) return undefined
  const typeName = column.typeName
  try {
    let text: string | null
    if (column.typeType === 'e') {
      text = enumDefault(typeName, raw)
    } else {
      const placeholder = PLACEHOLDERS[typeName]
      if (placeholder === undefined) return undefined
      const expression = TRIMMED.has(typeName) ? raw.trim() : raw
      if (NULL_AWARE.has(typeName) && expression.startsWith('NULL::')) return undefined
      text = extract(expression, placeholder)
    }
    if (text === null) return undefined
    const schema = converter.builder().optional().build()
    let value: unknown
    switch (typeName) {
      case 'bool':
        value = text.toLowerCase() === 'true'
        break
      case 'uuid':
        value = (converter.parse(text, schema) as string).toLowerCase()
        break
      case 'date':
        // pgjdbc reads an infinite date default as LocalDateTime.MAX / MIN: +999999999-12-31, -999999999-01-01.
        if ((text === 'infinity' || text === '-infinity') && 'fromEpochDay' in converter) {
          value = (converter as DateConverter).fromEpochDay(text === 'infinity' ? epochDayOf(999999999, 12, 31) : epochDayOf(-999999999, 1, 1))
        } else value = converter.parse(text, schema)
        break
      case 'time':
        // pgjdbc reads 24:00:00 as LocalTime.MAX.
        value = converter.parse(text.startsWith('24:00:00') ? '23:59:59.999999999' : normaliseTemporal(typeName, text), schema)
        break
      case 'timestamp': case 'timestamptz':
        if (text === 'infinity' || text === '-infinity') return undefined
        value = converter.parse(normaliseTemporal(typeName, text), schema)
        break
      default:
        value = converter.parse(text, schema)
    }
    if (value === null || value === undefined || value instanceof Struct) return undefined
    return value
  } catch {
    // Debezium logs a default it cannot parse and leaves it out.
    return undefined
  }
}
