/**
 * The connector file watcher on real files and real fs.watch events, against a recording Herder (no broker): what
 * each kind of file change asks of the herder, and what it leaves alone.
 */
import assert from 'node:assert/strict'
import { mkdir, mkdtemp, rename, rm, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { ConnectorFileWatcher, normalizeWatchArgs } from '../../src/cli/connector-file-watcher.ts'
import { BadRequestError } from '../../src/rest/errors.ts'
import type { ConfigInfos } from '../../src/rest/entities.ts'
import type { Herder } from '../../src/runtime/herder.ts'
import type { Logger } from '../../src/util/logger.ts'
import { waitFor } from '../helpers/wait-for.ts'

/** The part of the Herder the watcher uses, recording each change. */
class RecordingHerder {
  readonly connectorsByName = new Map<string, { config: Record<string, string>, target: string }>()
  readonly calls: string[] = []
  connectors (): string[] { return [...this.connectorsByName.keys()].sort() }
  connectorPlugins (): Array<{ class: string, type: string }> {
    return [{ class: 'org.apache.kafka.connect.file.FileStreamSourceConnector', type: 'source' }]
  }

  async validate (config: Readonly<Record<string, string>>): Promise<ConfigInfos> {
    if (!/FileStreamSource/.test(config['connector.class'] ?? '')) throw new BadRequestError('Failed to find any class that implements Connector')
    const errors = /^\d+$/.test(config['tasks.max'] ?? '1') ? [] : [`Invalid value ${config['tasks.max']} for configuration tasks.max: Not a number of type INT`]
    return { name: 'x', error_count: errors.length, groups: [], configs: [{ definition: null, value: { name: 'tasks.max', value: null, recommended_values: [], errors, visible: true } }] } as unknown as ConfigInfos
  }

  async upsertConnector (name: string, config: Record<string, string>): Promise<void> {
    const c = this.connectorsByName.get(name)!
    c.config = config
    this.calls.push(`put ${name} ${config.file ?? ''}`)
  }

  async putConnectorConfig (name: string, config: Record<string, string>, target: string): Promise<void> {
    this.connectorsByName.set(name, { config, target })
    this.calls.push(`create ${name} ${config.file ?? ''} ${target}`)
  }

  async deleteConnector (name: string): Promise<void> {
    this.connectorsByName.delete(name)
    this.calls.push(`delete ${name}`)
  }

  status (name: string): { connector: { state: string } } {
    const t = this.connectorsByName.get(name)!.target
    return { connector: { state: t === 'STARTED' ? 'RUNNING' : t } }
  }
}

function recordingLogger (): Logger & { lines: string[] } {
  const lines: string[] = []
  const logger = {
    lines,
    error: (m: string) => { lines.push(`ERROR ${m}`) },
    warn: (m: string) => { lines.push(`WARN ${m}`) },
    info: (m: string) => { lines.push(`INFO ${m}`) },
    debug: (m: string) => { lines.push(`DEBUG ${m}`) },
    child: () => logger
  }
  return logger
}

const source = (name: string, file: string, extra = ''): string => `name=${name}\nconnector.class=FileStreamSource\ntopic=t\nfile=${file}\n${extra}`

async function setUp (t: TestContext, files: Record<string, string>, options: { dirs?: string[], given?: string[] } = {}): Promise<{ dir: string, herder: RecordingHerder, log: ReturnType<typeof recordingLogger>, watcher: ConnectorFileWatcher }> {
  const dir = await mkdtemp(join(tmpdir(), 'watch-files-'))
  t.after(async () => { await rm(dir, { recursive: true, force: true }) })
  await mkdir(join(dir, 'conf'))
  await writeFile(join(dir, 'worker.properties'), 'bootstrap.servers=x\n')
  const herder = new RecordingHerder()
  const started = []
  for (const [rel, content] of Object.entries(files)) {
    await writeFile(join(dir, rel), content)
    const name = /name=(\S+)/.exec(content)![1]!
    const config = Object.fromEntries(content.trim().split('\n').map(l => l.split('=') as [string, string]))
    herder.connectorsByName.set(name, { config, target: 'STARTED' })
    started.push({ file: join(dir, rel), connector: { name, config, initialState: undefined, format: 'properties' as const } })
  }
  const log = recordingLogger()
  const watcher = await ConnectorFileWatcher.start({
    herder: herder as unknown as Herder,
    files: (options.given ?? []).map(f => join(dir, f)),
    dirs: (options.dirs ?? []).map(d => join(dir, d)),
    workerFile: join(dir, 'worker.properties'),
    started,
    debounceMs: 50,
    logger: log
  })
  t.after(() => { watcher.close() })
  return { dir, herder, log, watcher }
}

test('a touch, the same content written again and a comment change reconfigure nothing', async (t) => {
  const { dir, herder, log } = await setUp(t, { 'a.properties': source('a', 'x'), 'b.properties': source('b', 'x') }, { given: ['a.properties', 'b.properties'] })
  const a = join(dir, 'a.properties')
  await utimes(a, new Date(), new Date(Date.now() + 5000))
  await writeFile(a, source('a', 'x'))
  await writeFile(a, `# a comment\n${source('a', 'x')}`)
  // A real change to another file, after them: the batch that holds it has seen theirs.
  await writeFile(join(dir, 'b.properties'), source('b', 'y'))
  await waitFor(() => herder.calls.length > 0)
  assert.deepEqual(herder.calls, ['put b y'])
  assert.match(log.lines.join('\n'), /INFO Reconfigured connector b from \S+b\.properties \(changed: file\)/)
})

test('a file renamed within a watched directory moves its connector; a new file with a taken name waits for it', async (t) => {
  const { dir, herder, log } = await setUp(t, { 'conf/a.properties': source('a', 'x') }, { dirs: ['conf'] })
  // Another file giving connector a: refused while conf/a.properties gives it.
  await writeFile(join(dir, 'conf', 'twin.properties'), source('a', 'twin'))
  await waitFor(() => log.lines.some(l => /ERROR Not applying \S+twin\.properties: connector a is given by \S+a\.properties already \(\S+twin\.properties:1: name\)/.test(l)))
  assert.deepEqual(herder.calls, [])
  // Its owner removed: the connector goes, and the waiting file gives it again.
  await rm(join(dir, 'conf', 'a.properties'))
  await waitFor(() => herder.calls.length >= 2)
  assert.deepEqual(herder.calls, ['delete a', 'create a twin STARTED'])
  // A rename (mv): the old path is gone and the new one appears in one batch; the removal comes first.
  await rename(join(dir, 'conf', 'twin.properties'), join(dir, 'conf', 'moved.properties'))
  await waitFor(() => herder.calls.length >= 4)
  assert.deepEqual(herder.calls.slice(2), ['delete a', 'create a twin STARTED'])
  await writeFile(join(dir, 'conf', 'moved.properties'), source('a', 'moved'))
  await waitFor(() => herder.calls.length >= 5)
  assert.equal(herder.calls[4], 'put a moved')
  // Files that are no connector files are ignored: a swap file, a backup, another extension.
  await writeFile(join(dir, 'conf', '.moved.properties.swp'), 'junk')
  await writeFile(join(dir, 'conf', 'moved.properties~'), 'junk')
  await writeFile(join(dir, 'conf', 'notes.txt'), 'junk')
  await writeFile(join(dir, 'conf', 'c.properties'), source('c', 'c'))
  await waitFor(() => herder.calls.length >= 6)
  assert.deepEqual(herder.calls.slice(5), ['create c c STARTED'])
  assert.ok(!log.lines.some(l => /swp|~|notes/.test(l)), log.lines.join('\n'))
})

test('a broken edit is refused with the file, line and key, and the same content back is no change', async (t) => {
  const { dir, herder, log } = await setUp(t, { 'a.properties': source('a', 'x') }, { given: ['a.properties'] })
  const a = join(dir, 'a.properties')
  await writeFile(a, source('a', 'y', 'tasks.max=two\n'))
  await waitFor(() => log.lines.some(l => l.startsWith('ERROR')))
  assert.match(log.lines.join('\n'), /ERROR Not applying \S+a\.properties; connector a keeps its previous config: one problem:\n {2}- \S+a\.properties:5: tasks\.max: Invalid value two/)
  await writeFile(a, source('a', 'y').replace('FileStreamSource', 'FileStreamSourc'))
  await waitFor(() => log.lines.filter(l => l.startsWith('ERROR')).length >= 2)
  assert.match(log.lines.join('\n'), /\S+a\.properties:2: connector\.class: no connector plugin is named FileStreamSourc; did you mean FileStreamSource/)
  await writeFile(a, 'name=a\nconnector.class=FileStreamSource\na\\u12=\n')
  await waitFor(() => log.lines.filter(l => l.startsWith('ERROR')).length >= 3)
  assert.match(log.lines.at(-1)!, /Malformed \\uxxxx encoding .* at line 3/)
  // The original back: nothing to do.
  await writeFile(a, source('a', 'x'))
  await waitFor(() => log.lines.some(l => /saved without a change to connector a/.test(l)))
  assert.deepEqual(herder.calls, [])
})

test('a given file removed deletes its connector; written again, it creates it; its name changed, it replaces it', async (t) => {
  const { dir, herder } = await setUp(t, { 'a.properties': source('a', 'x') }, { given: ['a.properties'] })
  const a = join(dir, 'a.properties')
  await rm(a)
  await waitFor(() => herder.calls.length >= 1)
  await writeFile(a, source('a', 'y'))
  await waitFor(() => herder.calls.length >= 2)
  await writeFile(a, source('b', 'y'))
  await waitFor(() => herder.calls.length >= 4)
  assert.deepEqual(herder.calls, ['delete a', 'create a y STARTED', 'delete a', 'create b y STARTED'])
  assert.deepEqual(herder.connectors(), ['b'])
})

test('a new file whose name a REST-created connector holds is refused; initial_state is used when creating', async (t) => {
  const { dir, herder, log } = await setUp(t, {}, { dirs: ['conf'] })
  herder.connectorsByName.set('rest', { config: {}, target: 'STARTED' })
  await writeFile(join(dir, 'conf', 'r.json'), JSON.stringify({ name: 'rest', config: { 'connector.class': 'FileStreamSource', topic: 't', file: 'f' } }))
  await waitFor(() => log.lines.some(l => l.startsWith('ERROR')))
  assert.match(log.lines.join('\n'), /a connector named rest exists already, created through the REST API \(\S+r\.json:1: name\)/)
  await writeFile(join(dir, 'conf', 'p.yaml'), 'name: p\ninitial_state: paused\nconfig:\n  connector.class: FileStreamSource\n  topic: t\n  file: f\n')
  await waitFor(() => herder.calls.length >= 1)
  assert.deepEqual(herder.calls, ['create p f PAUSED'])
})

test('a change of the worker file says a restart is needed; after close nothing is applied', async (t) => {
  const { dir, herder, log, watcher } = await setUp(t, { 'a.properties': source('a', 'x') }, { given: ['a.properties'] })
  await utimes(join(dir, 'worker.properties'), new Date(), new Date(Date.now() + 5000))
  await writeFile(join(dir, 'worker.properties'), 'bootstrap.servers=y\n')
  await waitFor(() => log.lines.some(l => l.startsWith('WARN')))
  assert.equal(log.lines.filter(l => l.startsWith('WARN')).length, 1)
  assert.match(log.lines.join('\n'), /WARN The worker file \S+worker\.properties changed: worker settings are read only at start, restart the worker to use them/)
  watcher.close()
  await writeFile(join(dir, 'a.properties'), source('a', 'z'))
  await new Promise(resolve => setTimeout(resolve, 300)) // a negative: no event may act in this time (debounce 50 ms)
  assert.deepEqual(herder.calls, [])
})

test('--watch takes the next argument only when it is a directory', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'watch-args-'))
  t.after(async () => { await rm(dir, { recursive: true, force: true }) })
  assert.deepEqual(await normalizeWatchArgs(['--watch', 'worker.properties', 'a.json']), ['--watch=', 'worker.properties', 'a.json'])
  assert.deepEqual(await normalizeWatchArgs(['--watch', dir, 'worker.properties']), [`--watch=${dir}`, 'worker.properties'])
  assert.deepEqual(await normalizeWatchArgs(['worker.properties', '--watch']), ['worker.properties', '--watch='])
  assert.deepEqual(await normalizeWatchArgs(['--watch', '--dry-run', 'w']), ['--watch=', '--dry-run', 'w'])
  assert.deepEqual(await normalizeWatchArgs(['--', '--watch', dir]), ['--', '--watch', dir])
})
