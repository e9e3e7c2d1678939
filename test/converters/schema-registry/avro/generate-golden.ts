// Regenerates avro-java.golden.jsonl from Apache Avro's Java library: resolves org.apache.avro:avro with Maven (the
// tiny pom and the compiled tool live under .cache/, not checked in), compiles java/AvroGolden.java and feeds it the
// texts and payloads our format writes (golden-cases.ts). Java parses and prints each schema again and decodes and
// re-encodes each payload; the golden test then checks that ours equal Java's. 1.12.1, not 1.12.0: 1.12.0's reader
// narrows arrays of doubles to float precision (fixed in 1.12.1), which would show as false differences.
//
//   node --import tsx test/converters/schema-registry/avro/generate-golden.ts
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { goldenCases } from './golden-cases.ts'

const AVRO_VERSION = process.env.AVRO_VERSION ?? '1.12.1'
const HERE = dirname(fileURLToPath(import.meta.url))
const ROOT = join(HERE, '..', '..', '..', '..')
const CACHE = join(ROOT, '.cache', 'avro-golden', AVRO_VERSION)
const CLASSES = join(CACHE, 'classes')

function run (cmd: string, args: string[], input?: string): string {
  return execFileSync(cmd, args, { cwd: CACHE, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, input, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'inherit'] })
}

mkdirSync(CLASSES, { recursive: true })
writeFileSync(join(CACHE, 'pom.xml'), `<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
<groupId>connect-standalone.test</groupId><artifactId>avro-golden</artifactId><version>1</version>
<dependencies><dependency><groupId>org.apache.avro</groupId><artifactId>avro</artifactId><version>${AVRO_VERSION}</version></dependency></dependencies>
</project>
`)
const cpFile = join(CACHE, 'classpath.txt')
run('mvn', ['-q', '-B', '-Dstyle.color=never', 'dependency:build-classpath', `-Dmdep.outputFile=${cpFile}`])
const classpath = readFileSync(cpFile, 'utf8').trim()
run('javac', ['-d', CLASSES, '-cp', classpath, join(HERE, 'java', 'AvroGolden.java')])

const cases = goldenCases()
const out = run('java', ['-cp', `${classpath}:${CLASSES}`, 'AvroGolden'], cases.map(c => JSON.stringify(c)).join('\n') + '\n')
writeFileSync(join(HERE, 'avro-java.golden.jsonl'), `{"generator":"java/AvroGolden.java","avro":"${AVRO_VERSION}"}\n${out}`)
process.stdout.write(`avro-java.golden.jsonl: ${cases.length} cases\n`)
