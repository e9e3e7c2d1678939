/**
 * `npm run docs:keys`: rewrites the README's key tables (between the `<!-- keys:<table>:start/end -->` markers) from
 * the ConfigDefs, so that a key's documentation is written once, in its definition.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { renderKeyTables, withKeyTables } from './key-tables.ts'

const README = fileURLToPath(new URL('../../README.md', import.meta.url))
const before = readFileSync(README, 'utf8')
const after = withKeyTables(before, renderKeyTables())
if (after === before) {
  process.stdout.write('README.md key tables are up to date\n')
} else {
  writeFileSync(README, after)
  process.stdout.write('README.md key tables rewritten from the definitions\n')
}
