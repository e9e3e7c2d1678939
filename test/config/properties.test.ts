import { test } from 'node:test'
import type { TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ConfigFileError, ConnectError } from '../../src/api/errors.ts'
import { loadPropertiesFile, parseProperties, readConfigFile, toRecord } from '../../src/java/properties.ts'

async function tempDir (t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'properties-test-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  return dir
}

/** Parses latin1 text (each char one byte, as a file would hold it) and returns a plain object. */
function parse (text: string): Record<string, string> {
  return toRecord(parseProperties(Buffer.from(text, 'latin1'), 'test.properties').values)
}

function assertConfigFileError (fn: () => unknown, file: string, line: number | undefined, ...fragments: string[]): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof ConfigFileError, `expected ConfigFileError, got ${String(err)}`)
    assert.ok(ConnectError.is(err))
    assert.equal(err.code, 'CONNECT_ERR_CONFIG_FILE')
    assert.equal(err.file, file)
    assert.equal(err.line, line)
    assert.ok(err.message.includes(`'${file}'`), `message names the file: ${err.message}`)
    if (line !== undefined) assert.ok(err.message.includes(`line ${line}`), `message names the line: ${err.message}`)
    for (const fragment of fragments) assert.ok(err.message.includes(fragment), `'${fragment}' in: ${err.message}`)
    return true
  })
}

// Every expected value below was checked against JDK 17's Properties.load(InputStream) on the same bytes.
const TRICKY = Buffer.concat([
  Buffer.from([
    '# comment line ends with backslash \\',        // 1: a comment never continues
    'key\\ with\\ spaces = a\\',                     // 2
    '   continued',                                  // 3: continuation, leading whitespace skipped
    'a:b',                                           // 4
    'ws value',                                      // 5
    '  c d e  ',                                     // 6: leading whitespace skipped, trailing kept
    'esc=\\u00e9\\u00C9\\t\\n\\r\\f\\b\\z',          // 7
    '!bang comment',                                 // 8
    '   # indented comment',                         // 9
    '',                                              // 10
    '   \t ',                                        // 11
    'even=ends with two\\\\',                        // 12: even backslashes: no continuation
    'odd=three\\\\\\',                               // 13: odd: continuation
    '  tail',                                        // 14
    'eq = x=y:z',                                    // 15
    'latin=\u00e9\u00fc',                            // 16: bytes E9 FC
    'utf8=\u00c3\u00a9',                             // 17: bytes C3 A9, UTF-8 for é
    'colon\\:key\\=x:v',                             // 18
    'novalue',                                       // 19
    'emptyeq=',                                      // 20
    ' = empty key',                                  // 21
    'sep  :  spaced',                                // 22
    'hash=#not a comment',                           // 23
    'cont=\\',                                       // 24
    '  # not a comment either',                      // 25
    'dup=first',                                     // 26
    'dup=second',                                    // 27
    'last=no newline\\'                              // 28: dangling backslash at EOF is dropped
  ].join('\n'), 'latin1')
])

test('the tricky fixture gives the same values as Java', () => {
  const { values, lines } = parseProperties(TRICKY, 'tricky.properties')
  assert.deepEqual(toRecord(values), {
    'key with spaces': 'acontinued',
    a: 'b',
    ws: 'value',
    c: 'd e  ',
    esc: '\u00e9\u00c9\t\n\r\fbz',
    even: 'ends with two\\',
    odd: 'three\\tail',
    eq: 'x=y:z',
    latin: '\u00e9\u00fc',
    utf8: '\u00c3\u00a9',
    'colon:key=x': 'v',
    novalue: '',
    emptyeq: '',
    '': 'empty key',
    sep: 'spaced',
    hash: '#not a comment',
    cont: '# not a comment either',
    dup: 'second',
    last: 'no newline'
  })
  assert.deepEqual(Object.fromEntries(lines), {
    'key with spaces': 2,
    a: 4,
    ws: 5,
    c: 6,
    esc: 7,
    even: 12,
    odd: 13,
    eq: 15,
    latin: 16,
    utf8: 17,
    'colon:key=x': 18,
    novalue: 19,
    emptyeq: 20,
    '': 21,
    sep: 22,
    hash: 23,
    cont: 24,
    dup: 27,
    last: 28
  })
})

test('the tricky fixture reads the same with \\r\\n and \\r line endings', () => {
  const lf = parseProperties(TRICKY, 'x')
  for (const eol of ['\r\n', '\r']) {
    const converted = Buffer.from(TRICKY.toString('latin1').replaceAll('\n', eol), 'latin1')
    const result = parseProperties(converted, 'x')
    assert.deepEqual(result.values, lf.values, JSON.stringify(eol))
    assert.deepEqual(result.lines, lf.lines, JSON.stringify(eol))
  }
})

test('separators: =, : or whitespace, with whitespace around them skipped', () => {
  assert.deepEqual(parse('a=1\nb:2\nc 3\nd\t4\ne\f5\nf = 6\ng  :  7\nh\t=\t8\n'),
    { a: '1', b: '2', c: '3', d: '4', e: '5', f: '6', g: '7', h: '8' })
})

test('only the first separator counts; later = and : belong to the value', () => {
  assert.deepEqual(parse('a:=b\nc = = d\ne=f=g\nh i=j\nurl=http://host:8083/x?y=z\n'),
    { a: '=b', c: '= d', e: 'f=g', h: 'i=j', url: 'http://host:8083/x?y=z' })
})

test('trailing whitespace of a value is kept, leading whitespace is not', () => {
  assert.deepEqual(parse('a =   b  \t\n'), { a: 'b  \t' })
})

test('escaped separators and spaces stay in the key', () => {
  assert.deepEqual(parse('a\\=b=c\nd\\:e:f\ng\\ h i\n\\#x=y\n\\!z=w\n'),
    { 'a=b': 'c', 'd:e': 'f', 'g h': 'i', '#x': 'y', '!z': 'w' })
})

test('escapes: \\t \\n \\r \\f, and a backslash before any other character drops the backslash', () => {
  assert.deepEqual(parse('k=\\t|\\n|\\r|\\f|\\b|\\a|\\\\|\\"|\\=|\\ \n'), { k: '\t|\n|\r|\f|b|a|\\|"|=| ' })
})

test('\\uXXXX escapes, upper or lower case, including surrogate pairs', () => {
  assert.deepEqual(parse('k=\\u0041\\u00e9\\u00E9\\ud83d\\ude00\n\\u006By=v\n'),
    { k: 'A\u00e9\u00e9\u{1f600}', ky: 'v' })
})

test('a \\u escape may be split by a line continuation', () => {
  assert.deepEqual(parse('k=\\u00\\\n    e9\n'), { k: '\u00e9' })
})

test('bytes are decoded as ISO-8859-1, so UTF-8 text becomes mojibake as in Java', () => {
  const buf = Buffer.concat([Buffer.from('k='), Buffer.from('café ü', 'utf8')])
  assert.equal(parseProperties(buf, 'x').values.get('k'), 'caf\u00c3\u00a9 \u00c3\u00bc')
  const latin1 = Buffer.from([0x6b, 0x3d, 0xe9, 0xff, 0x80])
  assert.equal(parseProperties(latin1, 'x').values.get('k'), '\u00e9\u00ff\u0080')
})

test('a string input is taken as already decoded text', () => {
  assert.equal(parseProperties('k=café', 'x').values.get('k'), 'café')
})

test('line continuation: odd number of trailing backslashes continues, even does not', () => {
  assert.deepEqual(parse('a=1\\\n2\nb=1\\\\\nc=3\nd=1\\\\\\\n2\n'), { a: '12', b: '1\\', c: '3', d: '1\\2' })
})

test('leading whitespace of a continuation line is skipped, escaped whitespace is not', () => {
  assert.deepEqual(parse('a=x\\\n  \t\fy\nb=x\\\n  \\ y\n'), { a: 'xy', b: 'x y' })
})

test('a continuation can also continue the key', () => {
  assert.deepEqual(parse('lon\\\n   g.key=v\n'), { 'long.key': 'v' })
})

test('a continuation followed by a blank line ends the logical line', () => {
  assert.deepEqual(parse('a=x\\\n\nb=y\n'), { a: 'x', b: 'y' })
  assert.deepEqual(parse('a=x\\\n   \nb=y\n'), { a: 'x', b: 'y' })
})

test('a continuation works across \\r\\n and \\r line ends', () => {
  assert.deepEqual(parse('a=x\\\r\n  y\r\nb=z\r\n'), { a: 'xy', b: 'z' })
  assert.deepEqual(parse('a=x\\\r  y\rb=z\r'), { a: 'xy', b: 'z' })
})

test('a backslash at the very end of the file is dropped', () => {
  assert.deepEqual(parse('a=x\\'), { a: 'x' })
  assert.deepEqual(parse('a=x\\\n'), { a: 'x' })
})

test('comments: # and ! only as the first non-whitespace character of a logical line', () => {
  assert.deepEqual(parse('#a=1\n!b=2\n   #c=3\n\t!d=4\ne=5 # not a comment\nf=!6\n'), { e: '5 # not a comment', f: '!6' })
})

test('a comment ending with a backslash does not continue onto the next line', () => {
  assert.deepEqual(parse('# comment \\\na=1\n! comment \\\r\nb=2\n'), { a: '1', b: '2' })
})

test('# at the start of a continuation line is part of the value', () => {
  assert.deepEqual(parse('a=x\\\n  #y\n'), { a: 'x#y' })
})

test('line terminators \\n, \\r and \\r\\n, in any mix', () => {
  const { values, lines } = parseProperties('a=1\nb=2\rc=3\r\nd=4\n\r\ne=5', 'x')
  assert.deepEqual(toRecord(values), { a: '1', b: '2', c: '3', d: '4', e: '5' })
  assert.deepEqual(Object.fromEntries(lines), { a: 1, b: 2, c: 3, d: 4, e: 6 })
})

test('blank lines and whitespace-only lines are skipped', () => {
  assert.deepEqual(parse('\n\n   \n\t\f\na=1\n\n'), { a: '1' })
})

test('a key with no value maps to the empty string', () => {
  assert.deepEqual(parse('a\nb=\nc:\nd   \n'), { a: '', b: '', c: '', d: '' })
})

test('a later duplicate key wins, and its line is the one reported', () => {
  const { values, lines } = parseProperties('a=1\nb=2\na=3\n', 'x')
  assert.equal(values.get('a'), '3')
  assert.equal(lines.get('a'), 3)
  assert.deepEqual([...values.keys()], ['b', 'a'])
})

test('the line of a key is where its logical line starts, after blank lines, comments and continuations', () => {
  const { lines } = parseProperties('# c\n\na=1\\\n  2\\\n  3\n   b=2\n', 'x')
  assert.deepEqual(Object.fromEntries(lines), { a: 3, b: 6 })
})

test('an empty file gives an empty map', () => {
  const { values, lines } = parseProperties(Buffer.alloc(0), 'x')
  assert.equal(values.size, 0)
  assert.equal(lines.size, 0)
})

test('malformed \\u escapes fail with the file, line and key', () => {
  const file = '/etc/connect/worker.properties'
  assertConfigFileError(() => parseProperties('a=1\n\nkey=ab\\u12\n', file), file, 3,
    'Malformed \\uxxxx encoding', "'\\u12'", "key 'key'")
  assertConfigFileError(() => parseProperties('a=1\nkey=\\u00g1zz\n', file), file, 2, "'\\u00g1'", "key 'key'")
  assertConfigFileError(() => parseProperties('a=1\nkey=\\u', file), file, 2, "'\\u'")
  assertConfigFileError(() => parseProperties('bad\\uXYZ1key=v\n', file), file, 1, "the key 'bad\\uXYZ1key'")
})

test('a malformed \\u escape on a continuation line names that line', () => {
  assertConfigFileError(() => parseProperties('k=ok\\\n  \\u12x4\n', 'f.properties'), 'f.properties', 2, "key 'k'")
})

test('toRecord keeps keys such as __proto__ as data and returns an ordinary object', () => {
  const record = toRecord(parseProperties('__proto__=x\nconstructor=y\n', 'x').values)
  assert.equal(Object.getPrototypeOf(record), Object.prototype)
  assert.deepEqual(Object.keys(record), ['__proto__', 'constructor'])
  assert.equal(Object.getOwnPropertyDescriptor(record, '__proto__')?.value, 'x')
  assert.equal(record.constructor, 'y')
})

test('loadPropertiesFile reads a real file', async (t) => {
  const dir = await tempDir(t)
  const file = join(dir, 'connect-standalone.properties')
  // Apache's sample worker file (config/connect-standalone.properties), abridged.
  await writeFile(file, [
    '# Licensed to the Apache Software Foundation (ASF) under one or more',
    'bootstrap.servers=localhost:9092',
    '',
    '# The converters specify the format of data in Kafka',
    'key.converter=org.apache.kafka.connect.json.JsonConverter',
    'value.converter=org.apache.kafka.connect.json.JsonConverter',
    'key.converter.schemas.enable=true',
    'value.converter.schemas.enable=true',
    '',
    'offset.storage.file.filename=/tmp/connect.offsets',
    '# Flush much faster than normal, which is useful for testing/debugging',
    'offset.flush.interval.ms=10000',
    '#plugin.path=',
    ''
  ].join('\n'))
  const { values, lines } = await loadPropertiesFile(file)
  assert.deepEqual(toRecord(values), {
    'bootstrap.servers': 'localhost:9092',
    'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'key.converter.schemas.enable': 'true',
    'value.converter.schemas.enable': 'true',
    'offset.storage.file.filename': '/tmp/connect.offsets',
    'offset.flush.interval.ms': '10000'
  })
  assert.equal(lines.get('offset.flush.interval.ms'), 12)
})

test('loadPropertiesFile reports a missing file', async (t) => {
  const dir = await tempDir(t)
  const file = join(dir, 'missing.properties')
  await assert.rejects(loadPropertiesFile(file), (err: unknown) => {
    assert.ok(err instanceof ConfigFileError)
    assert.equal(err.message, `Cannot read file '${file}': no such file`)
    assert.equal(err.file, file)
    assert.equal(err.line, undefined)
    assert.equal((err.cause as NodeJS.ErrnoException).code, 'ENOENT')
    return true
  })
})

test('loadPropertiesFile reports a directory', async (t) => {
  const dir = await tempDir(t)
  const sub = join(dir, 'a-directory')
  await mkdir(sub)
  await assert.rejects(loadPropertiesFile(sub), { name: 'ConfigFileError', message: `Cannot read file '${sub}': it is a directory` })
})

test('loadPropertiesFile reports an unreadable file', { skip: process.getuid?.() === 0 ? 'root can read anything' : false }, async (t) => {
  const dir = await tempDir(t)
  const file = join(dir, 'secret.properties')
  await writeFile(file, 'a=b\n')
  await chmod(file, 0o000)
  await assert.rejects(readConfigFile(file), { name: 'ConfigFileError', message: `Cannot read file '${file}': permission denied` })
})
