// Regenerates protobuf-java.golden.jsonl, the payload bytes protobuf-java gives for the Protobuf format's tests:
//  - encode: each case of java-golden-cases.ts, its message in text format built as a DynamicMessage with the
//    descriptor of the schema written for its Connect schema (what Confluent's converter serializes);
//  - reserialize: every value of the shared corpus as we write it, parsed by protobuf-java and written again (equal
//    bytes mean ours are protobuf-java's canonical encoding);
//  - calendar: the UTC java.util.Calendar fields of days Confluent writes as google.type.Date.
// Needs JDK 17 (java, javac), Maven (protobuf-java from the local repository or Maven Central) and protoc (Debian's
// protobuf-compiler and libprotobuf-dev) to turn .proto texts into descriptor sets; the work files go under .cache/.
//
//   node --import tsx test/converters/schema-registry/protobuf/generate-golden.ts
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ProtobufFormat } from '../../../../src/converters/schema-registry/protobuf/protobuf-format.ts'
import { DEFAULT_PROTOBUF_DATA_OPTIONS } from '../../../../src/converters/schema-registry/protobuf/protobuf-data-config.ts'
import { decodeMessageIndexes } from '../../../../src/converters/schema-registry/protobuf/message-indexes.ts'
import { knownProtoText, META_PROTO } from '../../../../src/converters/schema-registry/protobuf/known-proto-files.ts'
import type { ProtobufSchema } from '../../../../src/converters/schema-registry/protobuf/protobuf-schema.ts'
import { CORPUS } from '../corpus.ts'
import { CALENDAR_DAYS, JAVA_GOLDEN_CASES } from './java-golden-cases.ts'

const PROTOBUF_VERSION = process.env.PROTOBUF_JAVA_VERSION ?? '4.32.1'
const HERE = dirname(fileURLToPath(import.meta.url))
const ROOT = join(HERE, '..', '..', '..', '..')
const CACHE = join(ROOT, '.cache', 'protobuf-golden')
const run = (cmd: string, args: string[], input?: string): string =>
  execFileSync(cmd, args, { encoding: 'utf8', input, maxBuffer: 64 * 1024 * 1024, stdio: ['pipe', 'pipe', 'inherit'] })

mkdirSync(join(CACHE, 'classes'), { recursive: true })
run('mvn', ['-q', '-B', '-Dstyle.color=never', 'dependency:get', `-Dartifact=com.google.protobuf:protobuf-java:${PROTOBUF_VERSION}`])
const jar = join(process.env.HOME ?? '', '.m2', 'repository', 'com', 'google', 'protobuf', 'protobuf-java', PROTOBUF_VERSION, `protobuf-java-${PROTOBUF_VERSION}.jar`)
run('javac', ['-d', join(CACHE, 'classes'), '-cp', jar, join(HERE, 'java', 'ProtobufGolden.java')])

/** A descriptor set for a written schema, made by protoc from its text and the files it imports. */
function descriptorSet (schema: ProtobufSchema): string {
  // The field_meta options need the option's definition, which Confluent's text leaves unimported.
  const main = schema.text.includes('(confluent.field_meta)') ? schema.text.replace(/\n\n(import|message)/, `\n\nimport "${META_PROTO}";\n$1`) : schema.text
  const dir = join(CACHE, 'schemas', createHash('sha256').update(main).digest('hex').slice(0, 16))
  const mainPath = schema.recordName?.startsWith('google.protobuf.') === true ? 'google/protobuf/wrappers.proto' : 'main.proto'
  const files = new Map([[mainPath, main]])
  for (const path of ['google/protobuf/timestamp.proto', 'google/protobuf/wrappers.proto', 'google/type/date.proto', 'google/type/timeofday.proto', 'confluent/type/decimal.proto', META_PROTO]) {
    if (!files.has(path)) files.set(path, knownProtoText(path)!)
  }
  for (const [path, text] of files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true })
    writeFileSync(join(dir, path), text)
  }
  const out = join(dir, 'set.pb')
  run('protoc', [`-I${dir}`, '-I/usr/include', '--include_imports', `--descriptor_set_out=${out}`, join(dir, mainPath)])
  return out
}

const jobs: string[] = []
const keys: object[] = []
for (const [i, c] of JAVA_GOLDEN_CASES.entries()) {
  const written = new ProtobufFormat({ ...DEFAULT_PROTOBUF_DATA_OPTIONS, ...c.options }).fromConnectSchema(c.schema)
  const textFile = join(CACHE, `case-${i}.txtpb`)
  writeFileSync(textFile, c.text)
  jobs.push(['encode', descriptorSet(written), written.recordName!, textFile].join('\t'))
  keys.push({ kind: 'encode', case: c.name })
}
const format = new ProtobufFormat(DEFAULT_PROTOBUF_DATA_OPTIONS)
for (const e of CORPUS) {
  let written: ProtobufSchema
  try {
    written = format.fromConnectSchema(e.schema)
  } catch {
    continue // not writable (array or map roots, nested arrays, names that need scrubbing): the corpus test says why
  }
  e.values.forEach((v, index) => {
    if (v === null) return
    let payload: Buffer
    try {
      payload = format.serialize(written, e.schema, v)
    } catch {
      return
    }
    const { offset } = decodeMessageIndexes(payload)
    jobs.push(['reserialize', descriptorSet(written), written.recordName!, payload.subarray(offset).toString('hex')].join('\t'))
    keys.push({ kind: 'reserialize', entry: e.name, index })
  })
}
for (const millis of CALENDAR_DAYS) {
  jobs.push(`calendar\t${millis}`)
  keys.push({ kind: 'calendar', millis })
}

const answers = run('java', ['-cp', `${jar}:${join(CACHE, 'classes')}`, 'ProtobufGolden'], jobs.join('\n') + '\n').trimEnd().split('\n')
if (answers.length !== keys.length) throw new Error(`${keys.length} jobs, ${answers.length} answers`)
const failed = answers.filter(a => a.startsWith('ERROR'))
if (failed.length > 0) throw new Error(`protobuf-java refused ${failed.length} jobs:\n${failed.join('\n')}`)
const lines = keys.map((k, i) => JSON.stringify({ ...k, java: answers[i] }))
writeFileSync(join(HERE, 'protobuf-java.golden.jsonl'), `${JSON.stringify({ generator: 'generate-golden.ts', protobufJava: PROTOBUF_VERSION })}\n${lines.join('\n')}\n`)
process.stdout.write(`protobuf-java.golden.jsonl: ${lines.length} cases\n`)
