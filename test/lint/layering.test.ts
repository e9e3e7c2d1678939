/**
 * The lint layering rule: connectors and plugins import only src/api, and src/api imports nothing else of ours.
 * Each case lints source text as if it lived at a given path, through ESLint's Node API and the project's config.
 */
import assert from 'node:assert/strict'
import { join, resolve } from 'node:path'
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
