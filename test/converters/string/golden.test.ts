/**
 * StringConverter, the number converters and Java charset names against Apache Kafka 4.3.1's real classes.
 * golden.jsonl was written by java/StringConverterGolden.java (regenerate: `node test/converters/string/generate-golden.mjs`).
 * Values travel as JsonConverter envelopes, read by our JsonConverter here and Apache's there, so both sides
 * convert the same Connect value. Every case must give the same bytes (hex), the same value read back, or the
 * same error message at the same stage (configure, write or read).
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { ConfigError, DataError, Headers, type Schema } from '../../../src/api/index.ts'
import { JsonConverter } from '../../../src/converters/json/json-converter.ts'
import { javaCharset } from '../../../src/java/charset.ts'
import { BooleanConverter, DoubleConverter, FloatConverter, IntegerConverter, LongConverter, ShortConverter } from '../../../src/converters/number-converters.ts'
import { StringConverter } from '../../../src/converters/string-converter.ts'

type Mode = 'value' | 'key' | 'header'
interface Described { t: string | null, v?: unknown, bits?: string }
interface JavaError { class: string, message: string, causeClass?: string, cause?: string }
interface GoldenLine {
  case: {
    id: string, op: 'write' | 'read' | 'charset', class?: string, name: string, label?: string, mode?: Mode, config?: Record<string, string>,
    value?: unknown, valueText?: string, passSchema?: boolean, in?: string | null
  }
  expected: {
    stage?: 'configure' | 'write' | 'read', error?: JavaError, out?: string | null, outNormalized?: string, text?: string,
    readBack?: Described, readBackError?: JavaError, schema?: string, value?: Described,
    canonical?: string, aliases?: string[]
  }
}

const golden = readFileSync(new URL('./golden.jsonl', import.meta.url), 'utf8').trim().split('\n').map(l => JSON.parse(l) as GoldenLine)

/** Where we knowingly differ from Apache, by case name, with the reason (README "Differences from Apache"). */
const KNOWN_DIFFERENCES: Record<string, string> = {
  'charset "Shift_JIS"': 'multi-byte East Asian and EBCDIC Java charsets are refused at configure time',
  'unknown encoding "Shift_JIS" write': 'multi-byte East Asian and EBCDIC Java charsets are refused at configure time',
  'unknown encoding "Shift_JIS" read': 'multi-byte East Asian and EBCDIC Java charsets are refused at configure time',
}
// Without a schema a JS number does not say which Java class it had (Cast makes schemaless Bytes, Shorts, Integers and
// Floats; JsonConverter Longs and Doubles), so the number converters write any number that fits where Apache
// refuses a value of another class than its serializer's.
const SCHEMALESS_NUMBER = 'a number converter writes a schemaless number that fits, whatever Java class it had'
for (const name of ['ShortConverter write schemaless integer', 'IntegerConverter write schemaless integer', 'FloatConverter write schemaless integer',
  'FloatConverter write schemaless integer beyond int', 'FloatConverter write schemaless 2.5', 'DoubleConverter write schemaless integer',
  'DoubleConverter write schemaless integer beyond int', 'IntegerConverter write int64 without its schema', 'ShortConverter write int8 without its schema',
  'LongConverter write int32 without its schema']) {
  KNOWN_DIFFERENCES[name] = SCHEMALESS_NUMBER
}

const envelopes = new JsonConverter()
envelopes.configure({ 'schemas.enable': 'true' }, false)

/** The envelope from its exact text (valueText), since JSON.parse would round a 64-bit payload. */
function decodeEnvelope (text: string | undefined): { schema: Schema | null, value: unknown } {
  if (text === undefined || text === 'null') return { schema: null, value: null }
  const sv = envelopes.toConnectData('t', Headers.EMPTY, Buffer.from(text))
  return { schema: sv.schema, value: sv.value }
}

type AnyConverter = Pick<StringConverter, 'configure' | 'fromConnectData' | 'toConnectData' | 'fromConnectHeader' | 'toConnectHeader'>
const CLASSES: Record<string, () => AnyConverter> = {
  StringConverter: () => new StringConverter(),
  ShortConverter: () => new ShortConverter(),
  IntegerConverter: () => new IntegerConverter(),
  LongConverter: () => new LongConverter(),
  FloatConverter: () => new FloatConverter(),
  DoubleConverter: () => new DoubleConverter(),
  BooleanConverter: () => new BooleanConverter()
}

/** Our error class for each Java one: the message must match as well. */
const ERROR_CLASSES: Record<string, new (...args: never[]) => Error> = {
  DataException: DataError,
  SerializationException: ConfigError
}

function assertSameError (actual: unknown, expected: JavaError, what: string): void {
  assert.ok(actual instanceof Error, `${what}: expected ${expected.class}: ${expected.message}, got ${String(actual)}`)
  const cls = ERROR_CLASSES[expected.class]
  assert.ok(cls !== undefined && actual instanceof cls, `${what}: ${actual.name} where Apache throws ${expected.class}`)
  assert.equal(actual.message, expected.message, what)
  if (expected.cause !== undefined && expected.causeClass !== 'ClassCastException' && expected.causeClass !== 'UnsupportedCharsetException' &&
    expected.causeClass !== 'IllegalCharsetNameException') {
    assert.equal((actual.cause as Error | undefined)?.message, expected.cause, `${what} (cause)`)
  }
}

function configured (cls: string, config: Record<string, string>, mode: Mode): AnyConverter {
  const c = CLASSES[cls]!()
  if (mode === 'header') c.configure(config)
  else c.configure(config, mode === 'key')
  return c
}

const view = new DataView(new ArrayBuffer(8))
function describe (value: unknown, schemaType: string): Described {
  if (value === null || value === undefined) return { t: null }
  switch (schemaType) {
    case 'string': return { t: 'string', v: value }
    case 'int16': case 'int32': case 'int64': return { t: schemaType, v: String(value) }
    case 'boolean': return { t: 'boolean', v: value }
    case 'float32': view.setFloat32(0, value as number); return { t: 'float32', bits: view.getUint32(0).toString(16).padStart(8, '0') }
    case 'float64': view.setFloat64(0, value as number); return { t: 'float64', bits: view.getBigUint64(0).toString(16).padStart(16, '0') }
  }
  throw new Error(`cannot describe ${schemaType}`)
}

function withoutJavaText (d: Described): Described {
  return d.t === 'float32' || d.t === 'float64' ? { t: d.t, bits: d.bits! } : d
}

function runCase ({ case: c, expected: e }: GoldenLine): void {
  if (c.op === 'charset') {
    let charset
    try {
      charset = javaCharset(c.name)
    } catch (err) {
      assert.ok(e.error !== undefined, `${c.name}: Java knows it as ${e.canonical ?? '?'}, we refused: ${String(err)}`)
      assert.equal((err as Error).message, `Unsupported encoding ${c.name}`)
      return
    }
    assert.equal(charset.name, e.canonical, `${c.name}: canonical name`)
    return
  }
  const mode = c.mode ?? 'value'
  let converter: AnyConverter
  try {
    converter = configured(c.class!, c.config ?? {}, mode)
  } catch (err) {
    assert.equal(e.stage, 'configure', `configure failed where Apache's did not: ${String(err)}`)
    assertSameError(err, e.error!, 'configure')
    return
  }
  assert.notEqual(e.stage, 'configure', `configure succeeded where Apache failed with ${e.error?.message ?? ''}`)
  if (c.op === 'write') {
    const decoded = decodeEnvelope(c.valueText)
    const schema = c.passSchema === false ? null : decoded.schema
    let out: Buffer | null
    try {
      out = mode === 'header' ? converter.fromConnectHeader('topic', 'h', schema, decoded.value) : converter.fromConnectData('topic', Headers.EMPTY, schema, decoded.value)
    } catch (err) {
      assert.equal(e.stage, 'write', `write failed where Apache wrote ${e.out ?? 'null'}: ${String(err)}`)
      assertSameError(err, e.error!, 'write')
      return
    }
    assert.equal(e.stage, undefined, `write succeeded (${out?.toString('hex') ?? 'null'}) where Apache failed with ${e.error?.message ?? ''}`)
    if (e.outNormalized !== undefined) {
      // Java's byte arrays print with an identity hash: compare with the hash masked on both sides.
      const text = converter.toConnectData('topic', Headers.EMPTY, out).value as string
      assert.match(text, /\[B@[0-9a-f]{1,8}\b/)
      const normalized = converter.fromConnectData('topic', Headers.EMPTY, null, text.replace(/\[B@[0-9a-f]+/g, '[B@*'))
      assert.equal(normalized!.toString('hex'), e.outNormalized, `text ${text} / Java ${e.text ?? ''}`)
    } else {
      assert.equal(out === null ? null : out.toString('hex'), e.out, `bytes (Java's text: ${JSON.stringify(e.text)})`)
    }
    if (out !== null && e.readBack !== undefined) {
      const back = mode === 'header' ? converter.toConnectHeader('topic', 'h', out) : converter.toConnectData('topic', Headers.EMPTY, out)
      if (e.outNormalized === undefined) assert.deepEqual(describe(back.value, back.schema!.type), withoutJavaText(e.readBack), 'read back')
    }
    return
  }
  const input = c.in === null || c.in === undefined ? null : Buffer.from(c.in, 'hex')
  let sv
  try {
    sv = mode === 'header' ? converter.toConnectHeader('topic', 'h', input) : converter.toConnectData('topic', Headers.EMPTY, input)
  } catch (err) {
    assert.equal(e.stage, 'read', `read failed where Apache read ${JSON.stringify(e.value)}: ${String(err)}`)
    assertSameError(err, e.error!, 'read')
    return
  }
  assert.equal(e.stage, undefined, `read succeeded where Apache failed with ${e.error?.message ?? ''}`)
  assert.equal(`${sv.schema!.type}${sv.schema!.optional ? '?' : ''}`, e.schema, 'schema')
  assert.deepEqual(describe(sv.value, sv.schema!.type), withoutJavaText(e.value!), 'value')
}

for (const line of golden) {
  // A charset case's name is the charset; its label says what it is.
  const known = KNOWN_DIFFERENCES[line.case.label ?? line.case.name]
  test(`${line.case.id}`, () => {
    if (known === undefined) { runCase(line); return }
    // A known difference must still differ: once it matches, it belongs with the others.
    assert.throws(() => runCase(line), `known difference now matches: ${known}`)
  })
}

test('the golden file covers every class with several cases', () => {
  const counts = new Map<string, number>()
  for (const { case: c } of golden) counts.set(c.class ?? 'charset', (counts.get(c.class ?? 'charset') ?? 0) + 1)
  for (const cls of [...Object.keys(CLASSES), 'charset']) assert.ok((counts.get(cls) ?? 0) >= 5, `${cls}: ${counts.get(cls) ?? 0} cases`)
})
