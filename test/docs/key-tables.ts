/**
 * The README's key tables, rendered from the ConfigDefs (issue 12): the worker keys, the connector framework keys and
 * the FileStream connectors' keys. Each table sits between `<!-- keys:<table>:start -->` and `<!-- keys:<table>:end -->`
 * in README.md; `npm run docs:keys` rewrites them and test/docs/readme-key-tables.test.ts fails when they differ, so a
 * key's documentation is written once, in its definition.
 */
import type { ConfigKeyDef } from '../../src/api/index.ts'
import { WORKER_CONFIG_DEF } from '../../src/config/worker-config.ts'
import { frameworkKeys } from '../../src/runtime/config-infos.ts'
import { FILE_SINK_CONFIG_DEF, FILE_SOURCE_CONFIG_DEF } from '../../connectors/file/config.ts'
import { SCHEMA_REGISTRY_CONFIG_DEF } from '../../src/converters/schema-registry/schema-registry-config.ts'
import { AVRO_DATA_CONFIG_DEF } from '../../src/converters/schema-registry/avro/avro-data-config.ts'
import { JSON_SCHEMA_CONFIG_DEF } from '../../src/converters/schema-registry/json-schema/json-schema-config.ts'
import { PROTOBUF_DATA_CONFIG_DEF } from '../../src/converters/schema-registry/protobuf/protobuf-data-config.ts'
import { DATAGEN_CONFIG_DEF } from '../../connectors/datagen/config.ts'
import { postgresConnectorConfigDef } from '../../connectors/debezium-postgres/config.ts'
import { JDBC_SINK_CONFIG_DEF } from '../../connectors/debezium-jdbc/config.ts'
import { EXTRACT_NEW_RECORD_STATE_CONFIG_DEF } from '../../src/transforms/debezium/extract-new-record-state-config.ts'

export const TABLE_NAMES = ['worker', 'connector', 'filestream', 'schema-registry', 'avro', 'json-schema', 'protobuf', 'datagen', 'debezium-postgres', 'extract-new-record-state', 'debezium-jdbc'] as const
export type TableName = typeof TABLE_NAMES[number]

const startMarker = (name: TableName): string => `<!-- keys:${name}:start -->`
const endMarker = (name: TableName): string => `<!-- keys:${name}:end -->`

/** Text for a Markdown table cell: pipes and line breaks would end the cell, `<`/`>` would read as HTML, `*` as emphasis. */
function cell (text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\*/g, '\\*').replace(/\s*\n\s*/g, ' ')
}

function code (text: string): string {
  return text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``
}

/** The Default column: *required* for a key without default, nothing for a key whose default is null or empty. */
function defaultCell (key: ConfigKeyDef): string {
  if (!('default' in key) || key.default === undefined) return '*required*'
  const value = key.default
  if (value === null) return ''
  const text = Array.isArray(value) ? value.join(',') : String(value)
  return text === '' ? '' : code(text)
}

function row (cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`.replace(/ {2,}\|/g, ' |')
}

function table (header: readonly string[], rows: ReadonlyArray<readonly string[]>, source: string): string {
  return [
    `<!-- generated from ${source} by \`npm run docs:keys\`: edit the definitions, not this table -->`,
    row(header),
    row(header.map(() => '---')),
    ...rows.map(row)
  ].join('\n')
}

const same = (a: ConfigKeyDef, b: ConfigKeyDef): boolean =>
  a.type === b.type && defaultCell(a) === defaultCell(b) && a.documentation === b.documentation

/**
 * One row per key for keys that several kinds define alike (`all`), one row per kind where they differ, in the
 * order of the first kind, then the keys only the later kinds have.
 */
function kindRows (kinds: ReadonlyArray<{ label: string, keys: readonly ConfigKeyDef[] }>, all: string): string[][] {
  const rows: string[][] = []
  const shared = new Set<string>()
  for (const kind of kinds) {
    for (const key of kind.keys) {
      if (shared.has(key.name)) continue
      const alike = kinds.every(k => k.keys.some(o => o.name === key.name && same(o, key)))
      if (alike) shared.add(key.name)
      rows.push([code(key.name), alike ? all : kind.label, defaultCell(key), cell(key.documentation)])
    }
  }
  return rows
}

/** Each table's Markdown, without its markers. */
export function renderKeyTables (): Record<TableName, string> {
  // No connector here: the version keys default to the plugin's version, which the table cannot know.
  const versions = { connector: '', key: null, value: null, header: null }
  return {
    worker: table(['Key', 'Default', 'Notes'],
      WORKER_CONFIG_DEF.keys().map(k => [code(k.name), defaultCell(k), cell(k.documentation)]),
      'src/config/worker-config.ts'),
    connector: table(['Key', 'For', 'Default', 'Notes'],
      kindRows([{ label: 'sinks', keys: frameworkKeys('sink', versions) }, { label: 'sources', keys: frameworkKeys('source', versions) }], 'all'),
      'src/config/connector-config.ts'),
    filestream: table(['Key', 'Connector', 'Default', 'Notes'],
      kindRows([{ label: 'FileStreamSource', keys: FILE_SOURCE_CONFIG_DEF.keys() }, { label: 'FileStreamSink', keys: FILE_SINK_CONFIG_DEF.keys() }], 'both'),
      'connectors/file/config.ts'),
    'schema-registry': plain(SCHEMA_REGISTRY_CONFIG_DEF.keys(), 'src/converters/schema-registry/schema-registry-config.ts'),
    avro: plain(AVRO_DATA_CONFIG_DEF.keys(), 'src/converters/schema-registry/avro/avro-data-config.ts'),
    'json-schema': plain(JSON_SCHEMA_CONFIG_DEF.keys(), 'src/converters/schema-registry/json-schema/json-schema-config.ts'),
    protobuf: plain(PROTOBUF_DATA_CONFIG_DEF.keys(), 'src/converters/schema-registry/protobuf/protobuf-data-config.ts'),
    datagen: plain(DATAGEN_CONFIG_DEF.keys(), 'connectors/datagen/config.ts'),
    'debezium-postgres': plain(postgresConnectorConfigDef.keys(), 'connectors/debezium-postgres/config.ts'),
    'extract-new-record-state': plain(EXTRACT_NEW_RECORD_STATE_CONFIG_DEF.keys(), 'src/transforms/debezium/extract-new-record-state-config.ts'),
    'debezium-jdbc': plain(JDBC_SINK_CONFIG_DEF.keys(), 'connectors/debezium-jdbc/config.ts')
  }
}

function plain (keys: readonly ConfigKeyDef[], source: string): string {
  return table(['Key', 'Default', 'Notes'], keys.map(k => [code(k.name), defaultCell(k), cell(k.documentation)]), source)
}

/** What the README holds between each table's markers (undefined where a marker is missing). */
export function readmeKeyTables (readme: string): Record<TableName, string | undefined> {
  const out = {} as Record<TableName, string | undefined>
  for (const name of TABLE_NAMES) {
    const start = readme.indexOf(startMarker(name))
    const end = readme.indexOf(endMarker(name))
    out[name] = start < 0 || end < start ? undefined : readme.slice(start + startMarker(name).length, end).replace(/^\n|\n$/g, '')
  }
  return out
}

/** The README with each table between its markers replaced by `tables`; throws when a marker is missing. */
export function withKeyTables (readme: string, tables: Record<TableName, string>): string {
  let out = readme
  for (const name of TABLE_NAMES) {
    const start = out.indexOf(startMarker(name))
    const end = out.indexOf(endMarker(name))
    if (start < 0 || end < start) throw new Error(`README.md has no ${startMarker(name)} ... ${endMarker(name)} pair`)
    out = out.slice(0, start + startMarker(name).length) + '\n' + tables[name] + '\n' + out.slice(end)
  }
  return out
}
