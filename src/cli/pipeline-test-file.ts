/**
 * The pipeline test file of `connect-standalone --test` (YAML, or JSON, which the YAML reader also reads): which
 * worker and connector to run, and the cases, each input records and what must come out. examples/pipeline.test.yaml
 * shows the format. Everything is checked before a case runs, and a problem names the file, line and field.
 */
import { readFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { LineCounter, isAlias, isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node as YamlNode } from 'yaml'
import { ConfigFileError } from '../api/index.ts'
import type { DryRunStage } from '../runtime/dry-run.ts'
import { canonical, type Canon } from './pipeline-test-values.ts'

export const ENCODINGS = ['text', 'json', 'base64'] as const
export type Encoding = typeof ENCODINGS[number]
export const STAGES: readonly DryRunStage[] = ['input', 'transformation', 'key conversion', 'value conversion', 'header conversion']

/** Where something is written: its line and its path in the document (cases[1].input[0].value). */
export interface Where { line: number, path: string }

/** A key, value or header value as written, with the encoding it is read in. */
export interface FieldSpec {
  encoding: Encoding
  /** null, a string (text, base64) or any JSON value (json), in canonical form. */
  data: Canon
  /** The Connect schema in JsonConverter's envelope form, for connector records (not bytes). */
  schema?: Canon
  where: Where
  schemaWhere?: Where
}

export interface HeaderSpec { key: string, value: FieldSpec }

export interface RecordSpec {
  where: Where
  topic?: string
  partition?: number | null
  offset?: number | null
  timestamp?: number | null
  /** Absent from an expected record: not compared. Absent from an input record: null. */
  key?: FieldSpec
  value?: FieldSpec
  headers?: HeaderSpec[]
}

export type ConnectorSpec =
  | { from: 'file', path: string, where: Where }
  | { from: 'inline', name: string, config: Record<string, string>, lines: Map<string, number>, where: Where }

export type WorkerSpec =
  | { from: 'file', path: string, where: Where }
  | { from: 'inline', values: Record<string, string>, lines: Map<string, number>, where: Where }
  | { from: 'default' }

export interface ErrorSpec { stage?: DryRunStage, message?: RegExp, where: Where }

export interface CaseSpec {
  name: string
  where: Where
  connector: ConnectorSpec
  input: RecordSpec[]
  /** The records that must come out, in order; [] for `dropped: true`; undefined when only an error is expected. */
  output?: RecordSpec[]
  error?: ErrorSpec
}

export interface PipelineTestFile { file: string, worker: WorkerSpec, cases: CaseSpec[] }

/**
 * The worker settings a test file without `worker` runs with, and under an inline `worker`: Apache's standalone example
 * worker (config/connect-standalone.properties), JsonConverter for keys and values with schemas. The offsets file is
 * required by the worker's config but never opened by the tests.
 */
export const DEFAULT_WORKER: Readonly<Record<string, string>> = {
  'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
  'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
  'offset.storage.file.filename': 'connect.offsets'
}

const TOP_KEYS = ['description', 'worker', 'connector', 'cases']
const CASE_KEYS = ['name', 'description', 'connector', 'input', 'output', 'dropped', 'error']
const RECORD_KEYS = ['topic', 'partition', 'offset', 'timestamp', 'key', 'value', 'headers', 'encoding', 'keyEncoding', 'valueEncoding', 'keySchema', 'valueSchema']
const HEADER_KEYS = ['key', 'value', 'encoding', 'schema']
const ERROR_KEYS = ['stage', 'message']

type Path = ReadonlyArray<string | number>
type Obj = Record<string, unknown>

export async function loadPipelineTestFile (file: string): Promise<PipelineTestFile> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    throw new ConfigFileError(`Cannot read the test file ${file}: ${err instanceof Error ? err.message : String(err)}`, file, undefined, { cause: err })
  }
  return parsePipelineTestFile(text, file)
}

export function parsePipelineTestFile (text: string, file: string): PipelineTestFile {
  const lineCounter = new LineCounter()
  // intAsBigInt: 64-bit integers in expected values stay exact.
  const doc = parseDocument(text.replace(/^\ufeff/, ''), { lineCounter, intAsBigInt: true, uniqueKeys: true, prettyErrors: false })
  const syntax = doc.errors[0]
  if (syntax !== undefined) {
    const line = lineCounter.linePos(syntax.pos[0]).line
    throw new ConfigFileError(`${file}${line !== undefined ? `:${line}` : ''}: ${syntax.message.split('\n')[0]}`, file, line)
  }
  return new Reader(file, doc, lineCounter).read()
}

class Reader {
  readonly file: string
  readonly dir: string
  readonly doc: Document
  readonly lines: LineCounter
  constructor (file: string, doc: Document, lines: LineCounter) {
    this.file = file
    this.dir = dirname(file)
    this.doc = doc
    this.lines = lines
  }

  /** The line of a path: the key's line for a mapping entry, else the node's first line. */
  lineOf (path: Path): number {
    let node: unknown = this.doc.contents
    let offset = 0
    for (const step of path) {
      if (isAlias(node)) node = node.resolve(this.doc)
      if (isMap(node)) {
        const pair = node.items.find(p => isPair(p) && isScalar(p.key) && String(p.key.value) === String(step))
        if (pair === undefined) break
        offset = (pair.key as YamlNode).range?.[0] ?? offset
        node = pair.value
      } else if (isSeq(node) && typeof step === 'number') {
        node = node.items[step]
        offset = (node as YamlNode | undefined)?.range?.[0] ?? offset
      } else {
        break
      }
    }
    if (path.length === 0) offset = (node as YamlNode | null)?.range?.[0] ?? 0
    return this.lines.linePos(offset).line
  }

  where (path: Path): Where {
    return { line: this.lineOf(path), path: pathText(path) }
  }

  fail (path: Path, problem: string): never {
    const line = this.lineOf(path)
    throw new ConfigFileError(`${this.file}:${line}: ${path.length > 0 ? `${pathText(path)}: ` : ''}${problem}`, this.file, line)
  }

  object (value: unknown, path: Path, allowed: readonly string[]): Obj {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) this.fail(path, `must be a mapping (${allowed.join(', ')})`)
    const obj = value as Obj
    for (const key of Object.keys(obj)) {
      if (!allowed.includes(key)) this.fail([...path, key], `unknown field; expected one of ${allowed.join(', ')}`)
    }
    return obj
  }

  read (): PipelineTestFile {
    const root = this.object(this.doc.toJS({ maxAliasCount: 1000 }), [], TOP_KEYS)
    const worker = root.worker === undefined ? { from: 'default' as const } : this.worker(root.worker, ['worker'])
    const connector = root.connector === undefined ? undefined : this.connector(root.connector, ['connector'])
    if (!Array.isArray(root.cases) || root.cases.length === 0) this.fail(['cases'], 'must be a list of at least one case')
    const names = new Set<string>()
    const cases = (root.cases as unknown[]).map((c, i) => {
      const one = this.testCase(c, ['cases', i], connector)
      if (names.has(one.name)) this.fail(['cases', i, 'name'], `another case is named "${one.name}"`)
      names.add(one.name)
      return one
    })
    return { file: this.file, worker, cases }
  }

  stringMap (value: unknown, path: Path, what: string): { values: Record<string, string>, lines: Map<string, number> } {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) this.fail(path, `must be a mapping of ${what} settings`)
    const values: Record<string, string> = {}
    const lines = new Map<string, number>()
    for (const [k, v] of Object.entries(value as Obj)) {
      if (v === null || typeof v === 'object') this.fail([...path, k], 'must be a string, number or boolean')
      values[k] = String(v)
      lines.set(k, this.lineOf([...path, k]))
    }
    return { values, lines }
  }

  worker (value: unknown, path: Path): WorkerSpec {
    if (typeof value === 'string' && value !== '') return { from: 'file', path: resolve(this.dir, value), where: this.where(path) }
    return { from: 'inline', ...this.stringMap(value, path, 'worker'), where: this.where(path) }
  }

  connector (value: unknown, path: Path): ConnectorSpec {
    if (typeof value === 'string' && value !== '') return { from: 'file', path: resolve(this.dir, value), where: this.where(path) }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) this.fail(path, 'must be a connector file\'s path or a connector config ({name, config} or a flat mapping)')
    const obj = value as Obj
    // The shape of a connector file: {name, config} as POST /connectors takes, or a flat mapping.
    if (typeof obj.config === 'object' && obj.config !== null) {
      this.object(obj, path, ['name', 'config'])
      const { values, lines } = this.stringMap(obj.config, [...path, 'config'], 'connector')
      const name = obj.name === undefined ? values.name ?? 'pipeline-test' : String(obj.name)
      return { from: 'inline', name, config: { ...values, name }, lines, where: this.where(path) }
    }
    const { values, lines } = this.stringMap(obj, path, 'connector')
    const name = values.name ?? 'pipeline-test'
    return { from: 'inline', name, config: { ...values, name }, lines, where: this.where(path) }
  }

  testCase (value: unknown, path: Path, connector: ConnectorSpec | undefined): CaseSpec {
    const c = this.object(value, path, CASE_KEYS)
    if (typeof c.name !== 'string' || c.name.trim() === '') this.fail([...path, 'name'], 'each case needs a name (a non-empty string)')
    const caseConnector = c.connector === undefined ? connector : this.connector(c.connector, [...path, 'connector'])
    if (caseConnector === undefined) this.fail([...path, 'connector'], 'no connector: give one at the top of the file or in the case')
    const input = this.records(c.input, [...path, 'input'], 'input')
    if (input.length === 0) this.fail([...path, 'input'], 'must hold at least one record')
    if (c.dropped !== undefined && c.dropped !== true) this.fail([...path, 'dropped'], 'can only be true (the records are dropped by the transformations); leave it out otherwise')
    if (c.dropped === true && c.output !== undefined) this.fail([...path, 'dropped'], 'give either dropped: true or output, not both')
    const output = c.dropped === true ? [] : c.output === undefined ? undefined : this.records(c.output, [...path, 'output'], 'output')
    const error = c.error === undefined ? undefined : this.error(c.error, [...path, 'error'])
    if (output === undefined && error === undefined) this.fail(path, 'a case must expect output records, dropped: true, or an error')
    return { name: c.name, where: this.where(path), connector: caseConnector, input, ...(output ? { output } : {}), ...(error ? { error } : {}) }
  }

  error (value: unknown, path: Path): ErrorSpec {
    if (value === true) return { where: this.where(path) }
    if (typeof value === 'string') return { message: this.pattern(value, path), where: this.where(path) }
    const e = this.object(value, path, ERROR_KEYS)
    const spec: ErrorSpec = { where: this.where(path) }
    if (e.stage !== undefined) {
      if (!STAGES.includes(e.stage as DryRunStage)) this.fail([...path, 'stage'], `must be one of ${STAGES.map(s => `"${s}"`).join(', ')}`)
      spec.stage = e.stage as DryRunStage
    }
    if (e.message !== undefined) {
      if (typeof e.message !== 'string') this.fail([...path, 'message'], 'must be a string (a regular expression)')
      spec.message = this.pattern(e.message, [...path, 'message'])
    }
    return spec
  }

  pattern (text: string, path: Path): RegExp {
    try {
      return new RegExp(text)
    } catch (err) {
      return this.fail(path, `not a valid regular expression: ${err instanceof Error ? err.message : String(err)}`)
    }
  }

  records (value: unknown, path: Path, what: string): RecordSpec[] {
    if (value === undefined || value === null) this.fail(path, `${what === 'input' ? 'each case needs input: ' : ''}a record or a list of records`)
    const list = Array.isArray(value) ? value : [value]
    return list.map((r, i) => this.record(r, Array.isArray(value) ? [...path, i] : path, what === 'input'))
  }

  record (value: unknown, path: Path, input: boolean): RecordSpec {
    const r = this.object(value, path, RECORD_KEYS)
    const spec: RecordSpec = { where: this.where(path) }
    if (r.topic !== undefined) {
      if (typeof r.topic !== 'string' || r.topic === '') this.fail([...path, 'topic'], 'must be a non-empty string')
      spec.topic = r.topic
    } else if (input) {
      this.fail(path, 'an input record needs a topic')
    }
    for (const k of ['partition', 'offset', 'timestamp'] as const) {
      if (r[k] === undefined) continue
      const n = r[k]
      if (n !== null && typeof n !== 'bigint' && !(typeof n === 'number' && Number.isInteger(n))) this.fail([...path, k], 'must be an integer or null')
      spec[k] = n === null ? null : Number(n)
    }
    const encoding = r.encoding === undefined ? 'text' : this.encoding(r.encoding, [...path, 'encoding'])
    for (const k of ['key', 'value'] as const) {
      const own = r[`${k}Encoding`]
      const enc = own === undefined ? encoding : this.encoding(own, [...path, `${k}Encoding`])
      const schema = r[`${k}Schema`]
      if (r[k] === undefined) {
        if (input) spec[k] = { encoding: enc, data: null, where: this.where(path) }
        if (schema !== undefined) this.fail([...path, `${k}Schema`], `given without ${k}`)
        continue
      }
      spec[k] = this.field(r[k], enc, schema, [...path, k], [...path, `${k}Schema`])
    }
    if (r.headers !== undefined) spec.headers = this.headers(r.headers, [...path, 'headers'], encoding)
    else if (input) spec.headers = []
    return spec
  }

  headers (value: unknown, path: Path, encoding: Encoding): HeaderSpec[] {
    if (value === null) return []
    if (Array.isArray(value)) {
      return value.map((h, i) => {
        const o = this.object(h, [...path, i], HEADER_KEYS)
        if (typeof o.key !== 'string' || o.key === '') this.fail([...path, i, 'key'], 'each header needs a key (a non-empty string)')
        const enc = o.encoding === undefined ? encoding : this.encoding(o.encoding, [...path, i, 'encoding'])
        return { key: o.key, value: this.field(o.value ?? null, enc, o.schema, [...path, i, 'value'], [...path, i, 'schema']) }
      })
    }
    if (typeof value !== 'object') this.fail(path, 'must be a list of {key, value} or a mapping of header names to values')
    // The mapping form: one header per name, in the order written, in the record's encoding.
    return Object.entries(value as Obj).map(([k, v]) => ({ key: k, value: this.field(v, encoding, undefined, [...path, k], [...path, k]) }))
  }

  encoding (value: unknown, path: Path): Encoding {
    if (!ENCODINGS.includes(value as Encoding)) this.fail(path, `must be one of ${ENCODINGS.join(', ')} (got ${JSON.stringify(String(value))})`)
    return value as Encoding
  }

  field (value: unknown, encoding: Encoding, schema: unknown, path: Path, schemaPath: Path): FieldSpec {
    const spec: FieldSpec = { encoding, data: null, where: this.where(path) }
    if (schema !== undefined) {
      if (schema !== null && (typeof schema !== 'object' || Array.isArray(schema))) this.fail(schemaPath, 'must be a Connect schema in JsonConverter\'s form ({type: struct, fields: [...]}) or null')
      spec.schema = canonical(schema)
      spec.schemaWhere = this.where(schemaPath)
    }
    if (value === null) return spec
    if (encoding === 'json') {
      spec.data = canonical(value)
      return spec
    }
    if (typeof value === 'object') {
      this.fail(path, `with encoding ${encoding} this must be a string; for structured data set encoding: json (or keyEncoding, valueEncoding)`)
    }
    const text = String(value)
    if (encoding === 'base64' && !/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text.replace(/\s+/g, ''))) {
      this.fail(path, 'not valid base64 (A-Z, a-z, 0-9, +, / and = padding)')
    }
    spec.data = encoding === 'base64' ? text.replace(/\s+/g, '') : text
    return spec
  }
}

function pathText (path: Path): string {
  return path.map((p, i) => typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`).join('')
}
