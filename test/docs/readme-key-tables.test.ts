/**
 * The README's key tables are the definitions' (issue 12): each table between its markers must be what
 * test/docs/key-tables.ts renders from the ConfigDefs, so a key documented in one place cannot drift in the other.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { TABLE_NAMES, readmeKeyTables, renderKeyTables, withKeyTables, type TableName } from './key-tables.ts'

const README = fileURLToPath(new URL('../../README.md', import.meta.url))

test('the README key tables are rendered from the config definitions', () => {
  const readme = readFileSync(README, 'utf8')
  const inReadme = readmeKeyTables(readme)
  const rendered = renderKeyTables()
  for (const name of TABLE_NAMES) {
    assert.notEqual(inReadme[name], undefined, `README.md lacks the <!-- keys:${name}:start --> / <!-- keys:${name}:end --> markers`)
    assert.equal(inReadme[name], rendered[name],
      `README.md's ${name} key table differs from the config definitions: run \`npm run docs:keys\` (edit the definitions' documentation, not the table)`)
  }
})

test('rendering rewrites only what lies between the markers', () => {
  const section = (name: string, body: string): string => `<!-- keys:${name}:start -->\n${body}<!-- keys:${name}:end -->\n`
  const readme = 'intro\n' + TABLE_NAMES.map(n => section(n, 'old\n')).join('between\n') + 'end\n'
  const tables = Object.fromEntries(TABLE_NAMES.map(n => [n, `new ${n}`])) as Record<TableName, string>
  const out = withKeyTables(readme, tables)
  assert.equal(out, 'intro\n' + TABLE_NAMES.map(n => section(n, `new ${n}\n`)).join('between\n') + 'end\n')
  assert.deepEqual(readmeKeyTables(out), tables)
  assert.throws(() => withKeyTables('no markers', tables), /keys:worker:start/)
})
