/**
 * The lint layering rule (eslint.config.js): each folder of src imports only the folders its layer may reach,
 * connectors and plugins import only src/api, src/api imports nothing else of ours but the Java units it shares, and
 * nothing imports src/cli. Each case lints source text as if it lived at a given path, through ESLint's Node API and
 * the project's config: every forbidden edge is one fixture import that must fail, every allowed edge one that must
 * pass. The expected layering is written out here on its own, so a change to the config shows up as a failing case.
 */
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { ESLint, type Linter } from 'eslint'

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)))
const eslint = new ESLint({ cwd: ROOT })

async function lint (relativePath: string, text: string): Promise<Linter.LintMessage[]> {
  const [result] = await eslint.lintText(text, { filePath: join(ROOT, relativePath) })
  assert.ok(result, 'ESLint returned a result')
  return result.messages
}

const restricted = (messages: Linter.LintMessage[]): Linter.LintMessage[] => messages.filter(m => m.ruleId === 'no-restricted-imports')

test('a connector importing the runtime is rejected by no-restricted-imports', async () => {
  const messages = await lint('connectors/file/layering-probe.ts',
    "import { WorkerTask } from '../../src/runtime/worker-task.ts'\nexport const x = WorkerTask\n")
  const errors = restricted(messages)
  assert.equal(errors.length, 1, JSON.stringify(messages))
  assert.equal(errors[0]!.severity, 2)
  assert.match(errors[0]!.message, /Connectors and plugins may import only src\/api\./)
  assert.equal(errors[0]!.line, 1)
})

test('a connector importing src/api is clean', async () => {
  const messages = await lint('connectors/file/layering-probe.ts',
    "import { ConfigDef } from '../../src/api/index.ts'\nexport const x = new ConfigDef()\n")
  assert.deepEqual(messages, [])
})

test('other layers are rejected for connectors and example plugins too', async () => {
  for (const layer of ['config/connector-config.ts', 'kafka/client-config.ts', 'plugins/registry.ts', 'util/logger.ts']) {
    const messages = await lint('connectors/file/layering-probe.ts', `import * as m from '../../src/${layer}'\nexport const x = m\n`)
    assert.equal(restricted(messages).length, 1, layer)
  }
  const plugin = await lint('examples/plugins/probe/index.ts', "import * as m from '../../../src/runtime/worker-task.ts'\nexport const x = m\n")
  assert.equal(restricted(plugin).length, 1)
  const pluginOk = await lint('examples/plugins/probe/index.ts', "import * as m from '../../../src/api/index.ts'\nexport const x = m\n")
  assert.deepEqual(pluginOk, [])
})

test('src/api importing the runtime is rejected', async () => {
  const messages = await lint('src/api/layering-probe.ts',
    "import { WorkerTask } from '../runtime/worker-task.ts'\nexport const x = WorkerTask\n")
  const errors = restricted(messages)
  assert.equal(errors.length, 1, JSON.stringify(messages))
  assert.match(errors[0]!.message, /src\/api is the SPI: it may import only src\/api\./)
})

test('src/api importing a sibling SPI module is clean', async () => {
  const messages = await lint('src/api/layering-probe.ts',
    "import { ConfigDef } from './config-def.ts'\nexport const x = new ConfigDef()\n")
  assert.deepEqual(messages, [])
})

test('the runtime itself may import any layer', async () => {
  const messages = await lint('src/runtime/layering-probe.ts',
    "import { PluginRegistry } from '../plugins/registry.ts'\nexport const x = new PluginRegistry()\n")
  assert.deepEqual(restricted(messages), [])
})

// ---- The whole layering, edge by edge

const FOLDERS = ['api', 'util', 'java', 'converters', 'transforms', 'providers', 'storage', 'kafka', 'plugins', 'config', 'runtime', 'rest', 'cli'] as const
type Folder = typeof FOLDERS[number]

/** The folders each layer may import (besides its own), as issue 12 draws them; cli composes everything. */
const MAY_IMPORT: Record<Exclude<Folder, 'cli'>, readonly Folder[]> = {
  api: [],
  util: [],
  java: ['api'],
  converters: ['api', 'java', 'util'],
  transforms: ['api', 'java', 'util', 'converters'],
  providers: ['api', 'java', 'util'],
  storage: ['api', 'java', 'util'],
  kafka: ['api', 'java', 'util'],
  plugins: ['api', 'java', 'util', 'converters', 'transforms', 'providers'],
  config: ['api', 'java', 'util', 'plugins'],
  runtime: ['api', 'storage', 'kafka', 'converters', 'transforms', 'config', 'plugins', 'java', 'util'],
  rest: ['api', 'java', 'util']
}

/** One import of `target` (a path under src) from a probe file in src/<from>, `depth` folders below src. */
async function edge (from: Folder, target: string, opts: { depth?: number, typeOnly?: boolean } = {}): Promise<Linter.LintMessage[]> {
  const depth = opts.depth ?? 1
  const probe = `src/${from}/${'sub/'.repeat(depth - 1)}layering-probe.ts`
  const spec = '../'.repeat(depth) + target
  const text = opts.typeOnly
    ? `import type { Probe } from '${spec}'\nexport type X = Probe\n`
    : `import { probe } from '${spec}'\nexport const x = probe\n`
  return restricted(await lint(probe, text))
}

for (const from of FOLDERS) {
  if (from === 'cli') continue
  test(`src/${from}: each other folder of src is allowed or forbidden as the layering says`, async () => {
    for (const to of FOLDERS) {
      if (to === from) continue
      const allowed = MAY_IMPORT[from].includes(to)
      for (const depth of [1, 2]) {
        const errors = await edge(from, `${to}/layering-target.ts`, { depth })
        assert.equal(errors.length, allowed ? 0 : 1, `src/${from} (depth ${depth}) -> src/${to}: ${allowed ? 'allowed' : 'forbidden'} (${JSON.stringify(errors)})`)
        if (!allowed) assert.match(errors[0]!.message, new RegExp(`src/${from} may import only`))
      }
    }
    // Its own folder, from a subfolder too; and nothing outside src (connectors/ are the plugins' business).
    assert.deepEqual(await edge(from, `${from}/layering-target.ts`, { depth: 2 }), [])
    assert.equal((await edge(from, '../connectors/index.ts')).length, from === 'plugins' ? 0 : 1)
  })
}

test('nothing imports src/cli, and src/cli imports every layer', async () => {
  for (const from of FOLDERS) {
    if (from === 'cli') continue
    assert.equal((await edge(from, 'cli/connect-standalone.ts')).length, 1, from)
  }
  for (const to of FOLDERS) assert.deepEqual(await edge('cli', `${to}/layering-target.ts`), [], to)
})

test('the files allowed across a layer, and nothing beside them', async () => {
  // The SPI uses and re-exports the Java units plugins need; the rest of src/java stays internal.
  for (const unit of ['chars', 'civil-date', 'hash-map', 'number-format', 'to-string', 'utf8']) assert.deepEqual(await edge('api', `java/${unit}.ts`), [], unit)
  for (const unit of ['jaas', 'regex', 'pattern', 'serialization', 'properties']) assert.equal((await edge('api', `java/${unit}.ts`)).length, 1, unit)
  // ...and those units import no value from src/api (types only), so the SPI and src/java form no cycle.
  assert.equal(restricted(await lint('src/java/to-string.ts', "import { ConfigError } from '../api/errors.ts'\nexport const x = ConfigError\n")).length, 1)
  assert.deepEqual(restricted(await lint('src/java/to-string.ts', "import type { Schema } from '../api/schema.ts'\nexport type X = Schema\n")), [])
  assert.deepEqual(restricted(await lint('src/java/jaas.ts', "import { ConfigError } from '../api/errors.ts'\nexport const x = ConfigError\n")), [])
  // The REST layer reaches the runtime through the Herder interface only.
  assert.deepEqual(await edge('rest', 'runtime/herder.ts'), [])
  assert.equal((await edge('rest', 'runtime/standalone-herder.ts')).length, 1)
  assert.equal((await edge('rest', 'runtime/worker.ts')).length, 1)
  // The config layer builds the REST server's config: it reaches that file of src/rest only.
  assert.deepEqual(await edge('config', 'rest/rest-server-config.ts'), [])
  assert.equal((await edge('config', 'rest/rest-security.ts')).length, 1)
  // The runtime throws the REST layer's errors, as Apache's herders throw BadRequestException...
  assert.deepEqual(await edge('runtime', 'rest/errors.ts'), [])
  // ...and names the REST entities the Herder answers in, as types only.
  assert.deepEqual(await edge('runtime', 'rest/entities.ts', { typeOnly: true }), [])
  assert.equal((await edge('runtime', 'rest/entities.ts')).length, 1)
  assert.equal((await edge('runtime', 'rest/rest-server.ts', { typeOnly: true })).length, 1)
})

test('src/index.ts exports only the SPI', async () => {
  assert.deepEqual(restricted(await lint('src/index.ts', "export * from './api/index.ts'\n")), [])
  assert.equal(restricted(await lint('src/index.ts', "export * from './runtime/worker.ts'\n")).length, 1)
})

test('today\'s tree has no forbidden edge', async () => {
  const results = await eslint.lintFiles(['src', 'connectors', 'examples'])
  const errors = results.flatMap(r => restricted(r.messages).map(m => `${relative(ROOT, r.filePath)}:${m.line}: ${m.message}`))
  assert.deepEqual(errors, [])
})

// ---- No import cycles (madge's --circular, in a few lines): value imports between src's modules form no cycle.

function valueImports (file: string): string[] {
  const text = readFileSync(file, 'utf8')
  const out: string[] = []
  for (const m of text.matchAll(/^(?:import|export)\s+(?!type\s)([^;]*?)\s+from\s+['"](\.[^'"]+)['"]/gms)) {
    const names = m[1]!.trim()
    // `import { type A, type B }` brings no value.
    if (/^\{[^}]*\}$/s.test(names) && names.replace(/[{}\s]/g, '').split(',').filter(Boolean).every(s => s.startsWith('type'))) continue
    out.push(resolve(dirname(file), m[2]!))
  }
  for (const m of text.matchAll(/^import\s+['"](\.[^'"]+)['"]/gm)) out.push(resolve(dirname(file), m[1]!))
  return out
}

test('src has no import cycle', () => {
  const files: string[] = []
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name)
      if (e.isDirectory()) walk(p)
      else if (p.endsWith('.ts')) files.push(p)
    }
  }
  walk(join(ROOT, 'src'))
  const graph = new Map(files.map(f => [f, valueImports(f).filter(t => t !== f)]))
  const state = new Map<string, 'open' | 'done'>()
  const path: string[] = []
  const cycles: string[] = []
  const visit = (f: string): void => {
    state.set(f, 'open')
    path.push(f)
    for (const t of graph.get(f) ?? []) {
      if (!graph.has(t)) continue
      if (state.get(t) === 'open') cycles.push(path.slice(path.indexOf(t)).concat(t).map(p => relative(ROOT, p)).join(' -> '))
      else if (state.get(t) === undefined) visit(t)
    }
    path.pop()
    state.set(f, 'done')
  }
  for (const f of files) if (state.get(f) === undefined) visit(f)
  assert.deepEqual(cycles, [])
})
