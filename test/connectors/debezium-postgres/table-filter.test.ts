/**
 * Debezium's filters for PostgreSQL: lists split on unescaped commas, each expression matched against the whole name
 * ignoring case, include before exclude, schema lists and table lists both applying, PostgreSQL's own tables left out
 * unless table.ignore.builtin=false, and Java regular expression constructs that JavaScript would read differently
 * refused by name. Unit tests: no database.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { RegexListError, TableFilter, compileRegexList, isBuiltinTable, splitRegexList, toJsRegex } from '../../../connectors/debezium-postgres/table-filter.ts'

test('lists split on commas not escaped, each part trimmed, empty parts skipped, \\, kept as a comma', () => {
  assert.deepEqual(splitRegexList('public.a, public.b ,public\\.c'), ['public.a', 'public.b', 'public\\.c'])
  assert.deepEqual(splitRegexList('a{1\\,3},b'), ['a{1,3}', 'b'])
  assert.deepEqual(splitRegexList('a,,b,'), ['a', 'b'])
  assert.deepEqual(splitRegexList('a, ,b'), ['a', '', 'b'])
  assert.throws(() => splitRegexList('a\\'), RegexListError)
  assert.equal(compileRegexList(undefined), undefined)
  assert.equal(compileRegexList('  '), undefined)
})

test('an expression matches the whole name, ignoring case (Pattern.CASE_INSENSITIVE with matches())', () => {
  const re = toJsRegex('public.orders')
  assert.equal(re.test('public.orders'), true)
  assert.equal(re.test('PUBLIC.Orders'), true)
  assert.equal(re.test('public.orders_archive'), false)
  assert.equal(re.test('xpublic.orders'), false)
  // An unescaped dot matches any character, as in Java.
  assert.equal(re.test('public_orders'), true)
  assert.equal(toJsRegex('a|b').test('ab'), false)
  assert.equal(toJsRegex('a|b').test('b'), true)
})

test('Java\'s \\Q...\\E quoting and a leading (?i) are understood', () => {
  assert.equal(toJsRegex('\\Qpublic.a+b\\E').test('public.a+b'), true)
  assert.equal(toJsRegex('\\Qpublic.a+b\\E').test('publicXaab'), false)
  assert.equal(toJsRegex('\\Qa.b').test('a.b'), true)
  assert.equal(toJsRegex('(?i)public\\.t').test('PUBLIC.T'), true)
  assert.equal(toJsRegex('[]a]').test(']'), true)
  assert.equal(toJsRegex('[^]a]').test('b'), true)
  assert.equal(toJsRegex('[^]a]').test(']'), false)
})

test('constructs JavaScript reads differently from Java are refused by name, invalid expressions too', () => {
  for (const [pattern, what] of [
    ['a*+', 'possessive quantifier'], ['a{2}+', 'possessive quantifier'], ['(?>a)', 'atomic group'], ['(?s)a.b', 'inline flags'],
    ['\\Aa', 'escape \\A'], ['a\\z', 'escape \\z'], ['\\p{Alpha}+', 'escape \\p'], ['[a[bc]]', 'nested character class'],
    ['[a-z&&[^b]]', 'intersection'], ['[a-z&&b]', 'intersection'], ['\\h', 'escape \\h']
  ] as const) {
    assert.throws(() => toJsRegex(pattern), (err: unknown) => err instanceof RegexListError && err.message.includes(what) && err.message.includes(pattern), pattern)
  }
  for (const bad of ['(a', 'a)', 'a)|(b', '*a', '[a']) assert.throws(() => toJsRegex(bad), RegexListError, bad)
})

test('no lists: every table and column but PostgreSQL\'s own tables', () => {
  const f = new TableFilter({})
  assert.equal(f.includeTable('public', 'orders'), true)
  assert.equal(f.includeTable('pg_catalog', 'pg_class'), false)
  assert.equal(f.includeTable('information_schema', 'tables'), false)
  assert.equal(f.includeTable('INFORMATION_SCHEMA', 'tables'), false)
  assert.equal(f.includeTable('pg_temp_3', 't'), false)
  assert.equal(f.includeTable('public', 'spatial_ref_sys'), false)
  assert.equal(f.includeSchema('anything'), true)
  assert.equal(f.includeColumn('public', 'orders', 'id'), true)
  assert.equal(f.columnsFiltered, false)
  assert.equal(isBuiltinTable('public', 'orders'), false)
  // table.ignore.builtin=false captures them too.
  const all = new TableFilter({ ignoreBuiltin: false })
  assert.equal(all.includeTable('pg_catalog', 'pg_class'), true)
  assert.equal(all.includeTable('public', 'spatial_ref_sys'), true)
})

test('table lists match schema.table; include wins over exclude', () => {
  const include = new TableFilter({ tableIncludeList: 'public.orders,inventory\\..*' })
  assert.equal(include.includeTable('public', 'orders'), true)
  assert.equal(include.includeTable('public', 'customers'), false)
  assert.equal(include.includeTable('Inventory', 'Products'), true)
  // Builtin tables stay out even when a list names them.
  assert.equal(new TableFilter({ tableIncludeList: 'pg_catalog.pg_class' }).includeTable('pg_catalog', 'pg_class'), false)
  const exclude = new TableFilter({ tableExcludeList: 'public\\.audit_.*' })
  assert.equal(exclude.includeTable('public', 'audit_log'), false)
  assert.equal(exclude.includeTable('public', 'orders'), true)
  const both = new TableFilter({ tableIncludeList: 'public.orders', tableExcludeList: 'public.orders' })
  assert.equal(both.includeTable('public', 'orders'), true)
  assert.equal(both.includeTable('public', 'x'), false)
})

test('schema lists match the schema name and combine with table lists (both must accept)', () => {
  const f = new TableFilter({ schemaIncludeList: 'inventory,sales_.*', tableExcludeList: 'inventory.secrets' })
  assert.equal(f.includeSchema('inventory'), true)
  assert.equal(f.includeSchema('SALES_EU'), true)
  assert.equal(f.includeSchema('public'), false)
  assert.equal(f.includeTable('inventory', 'orders'), true)
  assert.equal(f.includeTable('inventory', 'secrets'), false)
  assert.equal(f.includeTable('public', 'orders'), false)
  const g = new TableFilter({ schemaExcludeList: 'staging', tableIncludeList: '.*\\.orders' })
  assert.equal(g.includeTable('public', 'orders'), true)
  assert.equal(g.includeTable('staging', 'orders'), false)
  assert.equal(g.includeTable('public', 'customers'), false)
  assert.equal(g.includeSchema('staging'), false)
})

test('column lists match schema.table.column; include wins over exclude', () => {
  const include = new TableFilter({ columnIncludeList: 'public.users.(id|name),public.orders..*' })
  assert.equal(include.includeColumn('public', 'users', 'id'), true)
  assert.equal(include.includeColumn('public', 'users', 'NAME'), true)
  assert.equal(include.includeColumn('public', 'users', 'email'), false)
  assert.equal(include.includeColumn('public', 'orders', 'total'), true)
  assert.equal(include.columnsFiltered, true)
  const exclude = new TableFilter({ columnExcludeList: 'public\\.users\\.email' })
  assert.equal(exclude.includeColumn('public', 'users', 'email'), false)
  assert.equal(exclude.includeColumn('public', 'users', 'emails'), true)
  assert.equal(exclude.includeColumn('other', 'users', 'email'), true)
})

test('a bad expression fails when the filter is built', () => {
  assert.throws(() => new TableFilter({ tableIncludeList: 'public.(a' }), RegexListError)
  assert.throws(() => new TableFilter({ columnExcludeList: 'a++' }), /possessive quantifier/)
})
