/**
 * First contact from an installed package: `npm pack`, then a new CommonJS project and a new ESM project that hold
 * the tarball's files in node_modules/connect-standalone and run its CLI on Apache's quick-start files (embedded
 * broker) with a TypeScript plugin that imports `connect-standalone/api`, and with the shipped example plugins on
 * plugin.path.
 *
 * The tarball is extracted as npm would install it; only its dependencies come from this repository's node_modules
 * (linked as the package's own node_modules, the nested layout npm uses), so node-rdkafka is not rebuilt per project.
 */
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { ROOT } from '../helpers/cli.ts'
import { waitFor } from '../helpers/wait-for.ts'

let work: string
let tarball: string

function run (cmd: string, args: string[], cwd: string, timeoutMs = 120000): Promise<{ code: number | null, stdout: string, stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString() })
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString() })
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('error', reject)
    child.on('exit', code => { clearTimeout(timer); resolve({ code, stdout, stderr }) })
  })
}

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'installed-package-'))
  // npm pack runs `prepare` (the build), so the tarball holds what a user would get.
  const r = await run('npm', ['pack', '--json', '--pack-destination', work], ROOT)
  assert.equal(r.code, 0, r.stderr)
  const [info] = JSON.parse(r.stdout.slice(r.stdout.indexOf('['))) as Array<{ filename: string, files: Array<{ path: string }> }>
  assert.ok(info)
  const files = info.files.map(f => f.path)
  assert.ok(files.includes('LICENSE'), 'the package carries its LICENSE')
  // The batch consume addon's two sources are the exception: npm install builds the addon from them where it installs.
  const NATIVE = ['src/kafka/native/binding.gyp', 'src/kafka/native/batch-consume.cc']
  for (const f of NATIVE) assert.ok(files.includes(f), `${f} is packaged, for the install script to build the addon`)
  assert.ok(!files.some(f => (f.startsWith('src/') && !NATIVE.includes(f)) || f.startsWith('test/')), 'sources and tests are not packaged')
  tarball = join(work, info.filename)
})

after(async () => { await rm(work, { recursive: true, force: true }) })

const PLUGIN = `import { ConfigDef, definePlugins, newRecord, plugin, type AnyRecord, type Transformation } from 'connect-standalone/api'

class UpperCase implements Transformation {
  readonly kind = 'transformation'
  configure (_configs: Readonly<Record<string, string>>): void {}
  apply (record: AnyRecord): AnyRecord {
    return typeof record.value === 'string' ? newRecord(record, { value: record.value.toUpperCase() }) : record
  }
  config (): ConfigDef { return new ConfigDef() }
}

export default definePlugins([
  plugin({ kind: 'transformation', className: 'com.example.UpperCase', version: '1.0.0', create: () => new UpperCase() })
])
`

/** The same kind of plugin written as CommonJS TypeScript (`.cts`), requiring the API: it suffixes each line with '!'. */
const CTS_PLUGIN = `import api = require('connect-standalone/api')

class Bang implements api.Transformation {
  readonly kind = 'transformation'
  configure (_configs: Readonly<Record<string, string>>): void {}
  apply (record: api.AnyRecord): api.AnyRecord {
    return typeof record.value === 'string' ? api.newRecord(record, { value: record.value + '!' }) : record
  }
  config (): api.ConfigDef { return new api.ConfigDef() }
}

export = api.definePlugins([
  api.plugin({ kind: 'transformation', className: 'com.example.Bang', version: '1.0.0', create: () => new Bang() })
])
`

async function newProject (type: 'commonjs' | 'module'): Promise<string> {
  const dir = join(work, type)
  const pkgDir = join(dir, 'node_modules', 'connect-standalone')
  await mkdir(pkgDir, { recursive: true })
  await mkdir(join(dir, 'node_modules', '.bin'))
  await mkdir(join(dir, 'plugins'))
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: `try-${type}`, version: '1.0.0', private: true, type }, null, 2))
  const untar = await run('tar', ['xzf', tarball, '-C', pkgDir, '--strip-components=1'], dir)
  assert.equal(untar.code, 0, untar.stderr)
  await symlink(join(ROOT, 'node_modules'), join(pkgDir, 'node_modules'), 'dir')
  await symlink('../connect-standalone/bin/connect-standalone.js', join(dir, 'node_modules', '.bin', 'connect-standalone'))
  await writeFile(join(dir, 'plugins', 'upper-case.ts'), PLUGIN)
  await writeFile(join(dir, 'plugins', 'bang.cts'), CTS_PLUGIN)
  return dir
}

for (const type of ['commonjs', 'module'] as const) {
  test(`installed package in a new ${type} project: quick start with TypeScript plugins (ESM .ts and CommonJS .cts) using connect-standalone/api`, async (t) => {
    const dir = await newProject(type)
    const examples = join(dir, 'node_modules', 'connect-standalone', 'examples')
    const worker = (await readFile(join(examples, 'worker.properties'), 'utf8'))
      .replace(/^listeners=.*$/m, 'listeners=http://127.0.0.1:0')
      .replace(/^#plugin\.path=.*$/m, 'plugin.path=plugins,node_modules/connect-standalone/examples/plugins')
    assert.match(worker, /^plugin\.path=plugins,/m)
    await writeFile(join(dir, 'worker.properties'), worker)
    await copyFile(join(examples, 'test.txt'), join(dir, 'test.txt'))
    await writeFile(join(dir, 'connect-file-source.properties'),
      (await readFile(join(examples, 'connect-file-source.properties'), 'utf8')).replace('file=examples/test.txt', 'file=test.txt'))
    await writeFile(join(dir, 'connect-file-sink.properties'), await readFile(join(examples, 'connect-file-sink.properties'), 'utf8') +
      'transforms=upper,bang\ntransforms.upper.type=com.example.UpperCase\ntransforms.bang.type=com.example.Bang\n')

    // Plain node, no tsx preloaded: the package must bring what it needs.
    const child = spawn(process.execPath, [join(dir, 'node_modules', '.bin', 'connect-standalone'), '--embedded-broker',
      'worker.properties', 'connect-file-source.properties', 'connect-file-sink.properties'],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '', FORCE_COLOR: '0', NO_COLOR: '1' } })
    let output = ''
    child.stdout.on('data', (d: Buffer) => { output += d.toString() })
    child.stderr.on('data', (d: Buffer) => { output += d.toString() })
    const exited = new Promise<number | null>(resolve => child.on('exit', code => resolve(code)))
    t.after(() => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL') })

    const expected = (await readFile(join(dir, 'test.txt'), 'utf8')).toUpperCase().replace(/\n/g, '!\n')
    await waitFor(async () => child.exitCode !== null || (await readFile(join(dir, 'test.sink.txt'), 'utf8')) === expected,
      { timeoutMs: 30000, what: `test.sink.txt to hold the upper-cased lines, each suffixed by the .cts plugin; output:\n${output.slice(-3000)}` })
    assert.equal(child.exitCode, null, `the CLI exited early:\n${output.slice(-3000)}`)
    assert.equal(await readFile(join(dir, 'test.sink.txt'), 'utf8'), expected)
    assert.match(output, /Loaded 5 plugin module\(s\)/)
    child.kill('SIGTERM')
    // A clean stop; the exit code of a stop by signal is the CLI's business (tested in test/cli).
    const code = await exited
    assert.ok(code === 0 || code === 143, `exit ${code}\n${output.slice(-3000)}`)
    assert.match(output, /Kafka Connect stopped/)
  })
}
