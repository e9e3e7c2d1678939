/** The example plugins in examples/plugins work through plugin.path and the dry run, as the README shows. */
import assert from 'node:assert/strict'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { ROOT, runCli } from '../helpers/cli.ts'
import { removeDir } from '../helpers/remove-dir.ts'

test('example TypeScript transformation, predicate and converter run from plugin.path', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'example-plugins-'))
  t.after(async () => { await removeDir(dir) })
  await writeFile(join(dir, 'worker.properties'), [
    'key.converter=StringConverter', 'value.converter=StringConverter',
    `offset.storage.file.filename=${join(dir, 'connect.offsets')}`, `plugin.path=${join(ROOT, 'examples/plugins')}`
  ].join('\n') + '\n')
  await writeFile(join(dir, 'source.properties'), [
    'name=s', 'connector.class=FileStreamSource', 'topic=t',
    'predicates=short', 'predicates.short.type=com.example.ShorterThan', 'predicates.short.length=6',
    'transforms=upper', 'transforms.upper.type=com.example.UppercaseValue', 'transforms.upper.predicate=short',
    'value.converter=com.example.ReversedStringConverter'
  ].join('\n') + '\n')
  const line = (v: string): string => `{"topic":"t","value":{"schema":{"type":"string","optional":false},"payload":"${v}"}}`
  const r = await runCli(['--dry-run', join(dir, 'worker.properties'), join(dir, 'source.properties')], { input: `${line('abc')}\n${line('long line')}\n` })
  assert.equal(r.code, 0, r.stderr)
  assert.deepEqual(r.stdout.trim().split('\n').map(l => (JSON.parse(l) as { value: string }).value), ['CBA', 'enil gnol'])
  assert.match(r.stderr, /Loaded 3 plugin module\(s\)/)
})
