/**
 * `connect-standalone --test pipeline.test.yaml`: runs a test file's cases through a connector's converters,
 * transformations and predicates on the dry-run engine (no broker), prints PASS or FAIL per case with a diff, and
 * exits 0 when every case passes, 1 otherwise. A test file that cannot be used exits 1 (USAGE) naming its line and
 * field; a worker that cannot be loaded 2, a connector 3, as the worker itself would (exit-codes.ts).
 */
import { Chalk } from 'chalk'
import { Command, CommanderError } from 'commander'
import { isAbsolute, relative } from 'node:path'
import { Readable, Writable } from 'node:stream'
import { ConfigDef, ConfigError, ConfigFileError } from '../api/index.ts'
import { ConnectorConfigResolver, resolveWorkerConfig } from '../config/config-transformer.ts'
import { ensureValidConnectorConfig } from '../config/connector-config.ts'
import { loadConnectorFile } from '../config/connector-file.ts'
import {
  HEADER_CONVERTER_CLASS_CONFIG, KEY_CONVERTER_CLASS_CONFIG, PLUGIN_PATH_CONFIG, VALUE_CONVERTER_CLASS_CONFIG, WORKER_CONFIG_DEF
} from '../config/worker-config.ts'
import { loadPropertiesFile, toRecord } from '../java/properties.ts'
import { builtinRegistry } from '../plugins/builtin.ts'
import { loadPluginPath } from '../plugins/loader.ts'
import type { PluginRegistry } from '../plugins/registry.ts'
import type { WorkerConverterSettings } from '../runtime/connector-converters.ts'
import { DryRunError, runDryRun } from '../runtime/dry-run.ts'
import { ExitCode } from './exit-codes.ts'
import { evaluateCase, parseOutputLine, type CaseError, type CaseOutcome, type Failure } from './pipeline-test-compare.ts'
import {
  DEFAULT_WORKER, loadPipelineTestFile, type CaseSpec, type ConnectorSpec, type FieldSpec, type PipelineTestFile, type RecordSpec, type WorkerSpec
} from './pipeline-test-file.ts'
import { jsonText, type Canon } from './pipeline-test-values.ts'

/** Whether the command line asks for the pipeline tests (which take no worker file argument). */
export function wantsPipelineTests (argv: readonly string[]): boolean {
  return argv.slice(2).some(a => a === '--test' || a.startsWith('--test='))
}

/** A path as the user would type it: relative to the working directory when inside it. */
function shown (file: string): string {
  const rel = relative(process.cwd(), file)
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? file : rel
}

interface Output { write (text: string): unknown, isTTY?: boolean }

/** Colours on a terminal unless NO_COLOR is set (https://no-color.org); never in a pipe or a file. */
function colours (out: Output): InstanceType<typeof Chalk> {
  const wanted = out.isTTY === true && (process.env.NO_COLOR ?? '') === ''
  return new Chalk({ level: wanted ? 1 : 0 })
}

export async function runPipelineTestCommand (argv: readonly string[], out: Output = process.stdout, err: Output = process.stderr): Promise<number> {
  const program = new Command('connect-standalone')
    .usage('--test pipeline.test.yaml')
    .requiredOption('--test <file>', 'the pipeline test file (YAML or JSON)')
    .helpOption('-h, --help', 'show this help')
    .exitOverride()
    .configureOutput({ writeErr: s => err.write(s), writeOut: s => out.write(s) })
  try {
    program.parse([...argv])
  } catch (e) {
    if (e instanceof CommanderError) return ExitCode.USAGE
    throw e
  }
  if (program.args.length > 0) {
    err.write(`--test takes the test file only (the worker and connector files are named inside it); unexpected: ${program.args.join(' ')}\n` +
      'Usage: connect-standalone --test pipeline.test.yaml\n')
    return ExitCode.USAGE
  }
  const c = colours(out)
  const fatal = (code: number, headline: string, e: unknown): number => {
    err.write(`${colours(err).red.bold('ERROR')} ${headline}: ${e instanceof Error ? e.message : String(e)}\n`)
    return code
  }
  const file = program.opts<{ test: string }>().test
  let tests: PipelineTestFile
  try {
    tests = await loadPipelineTestFile(file)
  } catch (e) {
    return fatal(ExitCode.USAGE, 'Invalid pipeline test file', e)
  }
  let worker: TestWorker
  try {
    worker = await loadTestWorker(tests.worker, file)
  } catch (e) {
    return fatal(ExitCode.WORKER_STARTUP, 'Stopping due to error', e)
  }
  try {
    const connectors = new Map<string, PreparedConnector>()
    const connectorOf = (spec: ConnectorSpec): PreparedConnector => connectors.get(connectorKey(spec))!
    try {
      for (const spec of new Set(tests.cases.map(t => t.connector))) {
        const key = connectorKey(spec)
        if (!connectors.has(key)) connectors.set(key, await prepareConnector(spec, worker, file))
      }
    } catch (e) {
      return fatal(ExitCode.CONNECT_START, 'Stopping after connector error', e)
    }
    try {
      for (const t of tests.cases) checkSides(t, connectorOf(t.connector).kind, file)
    } catch (e) {
      return fatal(ExitCode.USAGE, 'Invalid pipeline test file', e)
    }

    const started = Date.now()
    out.write(`${c.bold(`Pipeline tests ${shown(file)}`)}: ${tests.cases.length} case${tests.cases.length === 1 ? '' : 's'}\n`)
    let failed = 0
    for (const t of tests.cases) {
      const connector = connectorOf(t.connector)
      let outcome: CaseOutcome
      try {
        outcome = await runCase(t, connector, worker)
      } catch (e) {
        // Not a record's failure: the connector's converters or transformations cannot even be set up.
        return fatal(ExitCode.CONNECT_START, `Stopping after connector error in case "${t.name}"`, e)
      }
      const failures = evaluateCase(t, outcome)
      const where = c.dim(`  ${connector.name} (${connector.kind})`)
      if (failures.length === 0) {
        out.write(`${c.green.bold('PASS')}  ${t.name}${where}\n`)
        continue
      }
      failed++
      out.write(`${c.red.bold('FAIL')}  ${t.name}${where}\n${c.dim(`      ${shown(file)}:${t.where.line}`)}\n`)
      out.write(renderFailures(failures, c))
    }
    const passed = tests.cases.length - failed
    const summary = `${tests.cases.length} case${tests.cases.length === 1 ? '' : 's'}: ${passed} passed, ${failed} failed (${Date.now() - started} ms)`
    out.write(`\n${failed === 0 ? c.green.bold(summary) : c.red.bold(summary)}\n`)
    return failed === 0 ? ExitCode.OK : ExitCode.TEST_FAILURE
  } finally {
    await worker.resolver.close().catch(() => {})
  }
}

function renderFailures (failures: readonly Failure[], c: InstanceType<typeof Chalk>): string {
  const lines: string[] = []
  if (failures.some(f => f.diff !== undefined)) lines.push(`      ${c.red('- expected')}  ${c.green('+ actual')}`)
  for (const f of failures) {
    lines.push(`      ${c.yellow(f.title)}`)
    for (const d of f.diff ?? []) {
      const text = `        ${d.mark} ${d.text}`
      lines.push(d.mark === '-' ? c.red(text) : d.mark === '+' ? c.green(text) : c.dim(text))
    }
    for (const l of f.lines ?? []) lines.push(`        ${l}`)
  }
  return lines.join('\n') + '\n'
}

// ---- The worker and the connectors ---------------------------------------------------------------------------------

interface TestWorker { registry: PluginRegistry, converters: WorkerConverterSettings, resolver: ConnectorConfigResolver }

const PLUGIN_PATH_DEF = new ConfigDef().define({ ...WORKER_CONFIG_DEF.get(PLUGIN_PATH_CONFIG)! })

/** A config problem's messages, each prefixed with the file and the line of the key it names (when the file has it). */
function atLines (e: unknown, where: string, lines: ReadonlyMap<string, number>): unknown {
  if (!(e instanceof Error)) return e
  const keys = [...lines.keys()].sort((a, b) => b.length - a.length)
  const problems = (e instanceof ConfigError ? e.problems : [e.message]).map(p => {
    const key = keys.find(k => p.includes(k))
    return `${where}${key !== undefined ? `:${lines.get(key)}` : ''}: ${p}`
  })
  return new ConfigError(problems.length === 1 ? problems[0]! : `${problems.length} configuration problems:\n  - ${problems.join('\n  - ')}`, { problems, cause: e })
}

/**
 * The worker settings that matter without a broker: plugin.path, the config providers and the converters, read as the
 * worker reads them (the rest of the worker file is checked too, as it would be at start-up).
 */
async function loadTestWorker (spec: WorkerSpec, testFile: string): Promise<TestWorker> {
  let raw: Record<string, string>
  let lines: ReadonlyMap<string, number> = new Map()
  let where = testFile
  if (spec.from === 'file') {
    const props = await loadPropertiesFile(spec.path)
    raw = toRecord(props.values)
    lines = props.lines
    where = spec.path
  } else if (spec.from === 'inline') {
    raw = { ...DEFAULT_WORKER, ...spec.values }
    lines = spec.lines
  } else {
    raw = { ...DEFAULT_WORKER }
  }
  try {
    const registry = builtinRegistry()
    const pluginPath = PLUGIN_PATH_DEF.parse({ [PLUGIN_PATH_CONFIG]: raw[PLUGIN_PATH_CONFIG] }).list(PLUGIN_PATH_CONFIG)
    if (pluginPath.length > 0) await loadPluginPath(pluginPath, registry)
    const config = WORKER_CONFIG_DEF.parse((await resolveWorkerConfig(raw, registry)).values)
    const converter = (key: string) => ({ className: config.string(key) ?? '', props: config.originalsWithPrefix(`${key}.`) })
    const converters: WorkerConverterSettings = {
      keyConverter: converter(KEY_CONVERTER_CLASS_CONFIG),
      valueConverter: converter(VALUE_CONVERTER_CLASS_CONFIG),
      headerConverter: converter(HEADER_CONVERTER_CLASS_CONFIG)
    }
    registry.resolve(converters.keyConverter.className, ['converter'], KEY_CONVERTER_CLASS_CONFIG)
    registry.resolve(converters.valueConverter.className, ['converter'], VALUE_CONVERTER_CLASS_CONFIG)
    registry.resolve(converters.headerConverter.className, ['header_converter'], HEADER_CONVERTER_CLASS_CONFIG)
    return { registry, converters, resolver: await ConnectorConfigResolver.create(raw, registry) }
  } catch (e) {
    throw atLines(e, where, lines)
  }
}

interface PreparedConnector { name: string, kind: 'source' | 'sink', config: Record<string, string> }

function connectorKey (spec: ConnectorSpec): string {
  return spec.from === 'file' ? `file:${spec.path}` : `inline:${JSON.stringify(spec.config)}`
}

/** A connector file or inline config, its variables resolved and its config validated, as the worker starts one. */
async function prepareConnector (spec: ConnectorSpec, worker: TestWorker, testFile: string): Promise<PreparedConnector> {
  const loaded = spec.from === 'file' ? await loadConnectorFile(spec.path) : { name: spec.name, config: spec.config, lines: spec.lines }
  const where = spec.from === 'file' ? spec.path : testFile
  try {
    const config = await worker.resolver.resolveConnectorConfig(loaded.config)
    const descriptor = ensureValidConnectorConfig(config, worker.registry, where)
    return { name: loaded.name, kind: descriptor.kind, config }
  } catch (e) {
    throw atLines(e, where, loaded.lines ?? new Map())
  }
}

/**
 * A source connector's input and a sink connector's output are connector records (schemas apply); the others are
 * Kafka bytes. Fields that do not fit the side are refused before anything runs.
 */
function checkSides (t: CaseSpec, kind: 'source' | 'sink', file: string): void {
  const refuse = (at: { line: number, path: string }, problem: string): never => {
    throw new ConfigFileError(`${file}:${at.line}: ${at.path}: ${problem}`, file, at.line)
  }
  const check = (records: readonly RecordSpec[], connectorRecords: boolean, what: string): void => {
    for (const r of records) {
      const fields: FieldSpec[] = [r.key, r.value, ...(r.headers ?? []).map(h => h.value)].filter((f): f is FieldSpec => f !== undefined)
      for (const f of fields) {
        if (f.schema !== undefined && !connectorRecords) refuse(f.schemaWhere ?? f.where, `a schema applies to connector records only, and a ${kind} connector's ${what} records are Kafka bytes`)
      }
      if (r.offset !== undefined && !(kind === 'sink')) refuse(r.where, 'offset applies to a sink connector\'s records only')
    }
  }
  check(t.input, kind === 'source', 'input')
  check(t.output ?? [], kind === 'sink', 'output')
}

// ---- Running a case ------------------------------------------------------------------------------------------------

/** A field as the dry run reads it: an envelope {schema, payload} for a source connector, bytes for a sink. */
function inputField (f: FieldSpec | undefined, kind: 'source' | 'sink'): Canon {
  if (f === undefined || (f.data === null && f.schema === undefined)) return null
  if (kind === 'source') {
    const schema = f.schema !== undefined ? f.schema : f.encoding === 'text' ? new Map([['type', 'string']]) : f.encoding === 'base64' ? new Map([['type', 'bytes']]) : null
    return new Map<string, Canon>([['schema', schema], ['payload', f.data]])
  }
  if (f.data === null) return null
  if (f.encoding === 'base64') return new Map([['base64', f.data]])
  return f.encoding === 'json' ? jsonText(f.data) : String(f.data)
}

function inputLine (r: RecordSpec, kind: 'source' | 'sink'): string {
  const line = new Map<string, Canon>([['topic', r.topic ?? '']])
  for (const k of ['partition', 'offset', 'timestamp'] as const) {
    const n = r[k]
    if (n !== undefined) line.set(k, n === null ? null : BigInt(n))
  }
  line.set('key', inputField(r.key, kind))
  line.set('value', inputField(r.value, kind))
  line.set('headers', (r.headers ?? []).map(h => new Map<string, Canon>([['key', h.key], ['value', inputField(h.value, kind)]])))
  return jsonText(line)
}

function caseError (e: DryRunError): CaseError {
  const error: CaseError = { record: e.line, stage: e.stage, message: e.cause instanceof Error ? e.cause.message : e.message }
  // Apache's converter messages end with a colon, the parser's reason being in their cause: shown, not matched.
  const causes: string[] = []
  for (let c = e.cause instanceof Error ? e.cause.cause : undefined; c instanceof Error && causes.length < 3; c = c.cause) causes.push(c.message)
  if (causes.length > 0) error.detail = causes.join(': ')
  return error
}

async function runCase (t: CaseSpec, connector: PreparedConnector, worker: TestWorker): Promise<CaseOutcome> {
  const written: string[] = []
  const errors: CaseError[] = []
  const output = new Writable({
    write (chunk: Buffer | string, _encoding, done) { written.push(chunk.toString()); done() }
  })
  try {
    await runDryRun({
      kind: connector.kind,
      connectorConfig: connector.config,
      worker: worker.converters,
      registry: worker.registry,
      input: Readable.from(t.input.map(r => inputLine(r, connector.kind) + '\n')),
      output,
      report: (_message, e) => { errors.push(caseError(e)) }
    })
  } catch (e) {
    if (!(e instanceof DryRunError)) throw e
    errors.push(caseError(e))
  }
  const records = written.join('').split('\n').filter(l => l !== '').map(l => parseOutputLine(l, connector.kind))
  return { records, errors }
}
