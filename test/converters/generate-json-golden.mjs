// Regenerates the golden files of the JsonConverter and Java number-format tests from the real Apache classes:
// resolves org.apache.kafka:connect-json and connect-api with Maven (into the local repository; the tiny pom and the
// compiled generator live under .cache/, which is not checked in), compiles test/converters/java/JsonGolden.java and
// runs it with the default `java`, which must be JDK 17 (Kafka 4.x's minimum JVM, whose Double.toString we follow).
//
//   node test/converters/generate-json-golden.mjs
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const KAFKA_VERSION = process.env.KAFKA_VERSION ?? '4.3.1'
const HERE = dirname(fileURLToPath(import.meta.url))
const ROOT = join(HERE, '..', '..')
const CACHE = join(ROOT, '.cache', 'json-golden', KAFKA_VERSION)
const CLASSES = join(CACHE, 'classes')

function run (cmd, args, options = {}) {
  return execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'inherit'], ...options })
}

// `java -version` prints to stderr.
const versionText = spawnSync('java', ['-version'], { encoding: 'utf8' }).stderr ?? ''
if (!/version "17[."]/.test(versionText)) {
  process.stderr.write(`warning: the golden files are meant to come from JDK 17, but \`java\` is:\n${versionText}\n`)
}

mkdirSync(CLASSES, { recursive: true })
writeFileSync(join(CACHE, 'pom.xml'), `<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
<groupId>connect-standalone.test</groupId><artifactId>json-golden</artifactId><version>1</version>
<dependencies>
<dependency><groupId>org.apache.kafka</groupId><artifactId>connect-json</artifactId><version>${KAFKA_VERSION}</version></dependency>
<dependency><groupId>org.apache.kafka</groupId><artifactId>connect-api</artifactId><version>${KAFKA_VERSION}</version></dependency>
</dependencies>
</project>
`)
for (const artifact of ['connect-json', 'connect-api']) {
  run('mvn', ['-q', '-B', '-Dstyle.color=never', 'dependency:get', `-Dartifact=org.apache.kafka:${artifact}:${KAFKA_VERSION}`], { cwd: CACHE, stdio: ['ignore', 'ignore', 'inherit'] })
}
const cpFile = join(CACHE, 'classpath.txt')
run('mvn', ['-q', '-B', '-Dstyle.color=never', 'dependency:build-classpath', `-Dmdep.outputFile=${cpFile}`], { cwd: CACHE, stdio: ['ignore', 'ignore', 'inherit'] })
const classpath = readFileSync(cpFile, 'utf8').trim()

run('javac', ['-d', CLASSES, '-cp', classpath, join(HERE, 'java', 'JsonGolden.java')], { stdio: ['ignore', 'inherit', 'inherit'] })
const cp = `${classpath}:${CLASSES}`
// SLF4J complains about a missing binding on stderr; that is noise here.
for (const [what, file] of [['json', 'json-converter.golden.jsonl'], ['numbers', 'java-number-format.golden.jsonl']]) {
  const out = run('java', ['-cp', cp, 'JsonGolden', what], { stdio: ['ignore', 'pipe', 'ignore'] })
  writeFileSync(join(HERE, file), out)
  process.stdout.write(`${file}: ${out.trim().split('\n').length - 1} cases\n`)
}
