/**
 * What a pipeline test case got, against what it expects: the dry run's output lines read back, compared field by
 * field in the encodings the test file chose, and each difference described with a diff for the report.
 */
import type { DryRunStage } from '../runtime/dry-run.ts'
import type { CaseSpec, Encoding, FieldSpec, HeaderSpec, RecordSpec } from './pipeline-test-file.ts'
import { equal, jsonText, lineDiff, parseJson, project, trimContext, type Canon, type DiffLine } from './pipeline-test-values.ts'

/** A key, value or header value that came out: Kafka bytes (source side) or a connector record's data (sink side). */
export type ActualField =
  | { side: 'bytes', bytes: Buffer | null }
  | { side: 'data', schema: Canon, payload: Canon }

export interface ActualRecord {
  topic: string
  partition: number | null
  offset: number | null
  timestamp: number | null
  key: ActualField
  value: ActualField
  headers: Array<{ key: string, value: ActualField }>
}

/** A record's failure: `message` is what an expected error's pattern is matched against, `detail` its causes. */
export interface CaseError { record: number, stage: DryRunStage, message: string, detail?: string }

export interface CaseOutcome { records: ActualRecord[], errors: CaseError[] }

/** One difference, for the report: a title, and a diff or plain lines. */
export interface Failure { title: string, diff?: DiffLine[], lines?: string[] }

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

function str (v: Canon | undefined): string {
  if (typeof v !== 'string') throw new Error(`unexpected dry-run output: ${jsonText(v ?? null)}`)
  return v
}

function int (v: Canon | undefined): number | null {
  return typeof v === 'bigint' ? Number(v) : null
}

function bytesOf (v: Canon | undefined): Buffer | null {
  if (v === null || v === undefined) return null
  if (typeof v === 'string') return Buffer.from(v, 'utf8')
  if (v instanceof Map) return Buffer.from(str(v.get('base64')), 'base64')
  throw new Error(`unexpected dry-run output: ${jsonText(v)}`)
}

function fieldOf (v: Canon | undefined, kind: 'source' | 'sink'): ActualField {
  if (kind === 'source') return { side: 'bytes', bytes: bytesOf(v) }
  const envelope = v instanceof Map ? v : new Map<string, Canon>()
  return { side: 'data', schema: envelope.get('schema') ?? null, payload: envelope.get('payload') ?? null }
}

/** One line the dry run wrote: a source connector's Kafka record, or the record a sink connector's put() gets. */
export function parseOutputLine (line: string, kind: 'source' | 'sink'): ActualRecord {
  const node = parseJson(line)
  if (!(node instanceof Map)) throw new Error(`unexpected dry-run output: ${line}`)
  const headers = node.get('headers')
  return {
    topic: str(node.get('topic')),
    partition: int(node.get('partition')),
    offset: int(node.get('offset')),
    timestamp: int(node.get('timestamp')),
    key: fieldOf(node.get('key'), kind),
    value: fieldOf(node.get('value'), kind),
    headers: (Array.isArray(headers) ? headers : []).map(h => {
      const m = h instanceof Map ? h : new Map<string, Canon>()
      return { key: str(m.get('key')), value: fieldOf(m.get('value'), kind) }
    })
  }
}

// ---- Views: a field as text lines, in an encoding ------------------------------------------------------------------

function textLines (text: string, encoding: Encoding): string[] {
  if (encoding === 'json') {
    try {
      return jsonText(parseJson(text), true).split('\n')
    } catch {
      return [`${JSON.stringify(text)}   (not JSON)`]
    }
  }
  return [JSON.stringify(text)]
}

function expectedView (spec: FieldSpec): string[] {
  if (spec.data === null) return ['null']
  if (spec.encoding === 'json') return jsonText(spec.data, true).split('\n')
  return [spec.encoding === 'base64' ? `base64 ${String(spec.data)}` : JSON.stringify(spec.data)]
}

function actualView (field: ActualField, encoding: Encoding): string[] {
  if (field.side === 'bytes') {
    if (field.bytes === null) return ['null']
    if (encoding === 'base64') return [`base64 ${field.bytes.toString('base64')}`]
    let text: string
    try {
      text = utf8.decode(field.bytes)
    } catch {
      return [`base64 ${field.bytes.toString('base64')}   (not UTF-8)`]
    }
    return textLines(text, encoding)
  }
  const p = field.payload
  if (p === null) return ['null']
  if (encoding === 'base64' && typeof p === 'string') return [`base64 ${p}`]
  if (encoding === 'text' && typeof p === 'string') return [JSON.stringify(p)]
  return jsonText(p, true).split('\n')
}

function fieldEquals (spec: FieldSpec, field: ActualField): boolean {
  if (field.side === 'bytes') {
    if (spec.data === null || field.bytes === null) return spec.data === null && field.bytes === null
    if (spec.encoding === 'base64') return Buffer.from(String(spec.data), 'base64').equals(field.bytes)
    let text: string
    try { text = utf8.decode(field.bytes) } catch { return false }
    if (spec.encoding === 'text') return text === spec.data
    try { return equal(spec.data, parseJson(text)) } catch { return false }
  }
  if (spec.data === null || field.payload === null) return spec.data === null && field.payload === null
  if (spec.encoding === 'base64') return typeof field.payload === 'string' && Buffer.from(field.payload, 'base64').equals(Buffer.from(String(spec.data), 'base64'))
  return equal(spec.data, field.payload)
}

/** One line for a record in a list: topic, key, value and headers, compact. */
function compactField (field: ActualField): string {
  if (field.side === 'data') return jsonText(field.payload)
  if (field.bytes === null) return 'null'
  try { return JSON.stringify(utf8.decode(field.bytes)) } catch { return `base64:${field.bytes.toString('base64')}` }
}

export function describeActual (r: ActualRecord): string {
  const headers = r.headers.length === 0 ? '' : ` headers=[${r.headers.map(h => `${h.key}=${compactField(h.value)}`).join(', ')}]`
  return `topic=${r.topic} key=${compactField(r.key)} value=${compactField(r.value)}${headers}`
}

function compactSpec (spec: FieldSpec | undefined): string {
  if (spec === undefined) return '(any)'
  if (spec.data === null) return 'null'
  return spec.encoding === 'json' ? jsonText(spec.data) : spec.encoding === 'base64' ? `base64:${String(spec.data)}` : JSON.stringify(spec.data)
}

function describeExpected (r: RecordSpec): string {
  const headers = r.headers === undefined || r.headers.length === 0 ? '' : ` headers=[${r.headers.map(h => `${h.key}=${compactSpec(h.value)}`).join(', ')}]`
  return `topic=${r.topic ?? '(any)'} key=${compactSpec(r.key)} value=${compactSpec(r.value)}${headers}`
}

// ---- Comparison ----------------------------------------------------------------------------------------------------

function compareField (title: string, spec: FieldSpec, field: ActualField, schemaName: string): Failure[] {
  const failures: Failure[] = []
  if (!fieldEquals(spec, field)) {
    failures.push({ title: `${title} (${spec.encoding})`, diff: trimContext(lineDiff(expectedView(spec), actualView(field, spec.encoding))) })
  }
  if (spec.schema !== undefined && field.side === 'data') {
    const seen = project(spec.schema, field.schema)
    if (!equal(spec.schema, seen)) {
      failures.push({ title: `${schemaName} (only the keys written are compared)`, diff: trimContext(lineDiff(jsonText(spec.schema, true).split('\n'), jsonText(seen, true).split('\n'))) })
    }
  }
  return failures
}

function headerLines (key: string, view: string[]): string[] {
  return view.map((line, i) => i === 0 ? `${key}: ${line}` : `${' '.repeat(key.length + 2)}${line}`)
}

function compareHeaders (title: string, expected: HeaderSpec[], actual: ActualRecord['headers']): Failure[] {
  const same = expected.length === actual.length && expected.every((h, i) => {
    const a = actual[i]!
    if (h.key !== a.key || !fieldEquals(h.value, a.value)) return false
    return h.value.schema === undefined || a.value.side !== 'data' || equal(h.value.schema, project(h.value.schema, a.value.schema))
  })
  if (same) return []
  const want = expected.flatMap(h => headerLines(h.key, expectedView(h.value)))
  const got = actual.flatMap((h, i) => headerLines(h.key, actualView(h.value, expected[i]?.value.encoding ?? 'text')))
  const schemaNote = expected.some(h => h.value.schema !== undefined) ? ' (and their schemas)' : ''
  return [{ title: `${title}${schemaNote}`, diff: trimContext(lineDiff(want, got)) }]
}

function compareRecord (n: number, spec: RecordSpec, actual: ActualRecord): Failure[] {
  const at = `record ${n}`
  const failures: Failure[] = []
  const scalar = (name: 'topic' | 'partition' | 'offset' | 'timestamp'): void => {
    const want = spec[name]
    if (want === undefined || want === actual[name]) return
    failures.push({ title: `${at} ${name}`, diff: [{ mark: '-', text: JSON.stringify(want) }, { mark: '+', text: JSON.stringify(actual[name]) }] })
  }
  scalar('topic')
  scalar('partition')
  scalar('offset')
  scalar('timestamp')
  if (spec.key !== undefined) failures.push(...compareField(`${at} key`, spec.key, actual.key, `${at} keySchema`))
  if (spec.value !== undefined) failures.push(...compareField(`${at} value`, spec.value, actual.value, `${at} valueSchema`))
  if (spec.headers !== undefined) failures.push(...compareHeaders(`${at} headers`, spec.headers, actual.headers))
  return failures
}

function describeError (e: CaseError): string {
  const message = e.message.trimEnd()
  return `record ${e.record} failed at ${e.stage}: ${message}${e.detail !== undefined ? `${message.endsWith(':') ? '' : ';'} ${e.detail}` : ''}`
}

function errorMatches (spec: NonNullable<CaseSpec['error']>, e: CaseError): boolean {
  return (spec.stage === undefined || spec.stage === e.stage) && (spec.message === undefined || spec.message.test(e.message))
}

/** Every way the outcome differs from the case's expectations; none when the case passes. */
export function evaluateCase (spec: CaseSpec, outcome: CaseOutcome): Failure[] {
  const failures: Failure[] = []
  const records = outcome.records
  const listed = (rs: ActualRecord[]): string[] => rs.map((r, i) => `${i + 1}. ${describeActual(r)}`)
  if (spec.error !== undefined) {
    const want = `an error${spec.error.stage ? ` at ${spec.error.stage}` : ''}${spec.error.message ? ` matching ${String(spec.error.message)}` : ''}`
    if (outcome.errors.length === 0) {
      failures.push({ title: `expected ${want}, but no record failed; ${records.length === 0 ? 'no records came out' : 'out came:'}`, lines: listed(records) })
    } else if (!outcome.errors.some(e => errorMatches(spec.error!, e))) {
      failures.push({ title: `expected ${want}, got:`, lines: outcome.errors.map(describeError) })
    }
  } else {
    for (const e of outcome.errors) failures.push({ title: describeError(e) })
  }
  const expected = spec.output
  if (expected === undefined || (spec.error === undefined && outcome.errors.length > 0)) return failures
  if (expected.length === 0) {
    if (records.length > 0) failures.push({ title: `expected the records to be dropped, but ${records.length} came out:`, lines: listed(records) })
    return failures
  }
  if (expected.length !== records.length) {
    const lines = [
      ...expected.slice(records.length).map((r, i) => `missing ${records.length + i + 1}. ${describeExpected(r)}`),
      ...records.slice(expected.length).map((r, i) => `unexpected ${expected.length + i + 1}. ${describeActual(r)}`)
    ]
    const dropped = records.length === 0 ? ' (dropped by the transformations)' : ''
    failures.push({ title: `expected ${expected.length} record${expected.length === 1 ? '' : 's'}, got ${records.length}${dropped}`, lines })
  }
  for (let i = 0; i < Math.min(expected.length, records.length); i++) failures.push(...compareRecord(i + 1, expected[i]!, records[i]!))
  return failures
}
