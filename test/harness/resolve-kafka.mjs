// Resolves Apache Kafka 4.3 (org.apache.kafka:kafka_2.13) and its runtime dependencies with Maven into the local
// repository, and writes the broker's Java classpath to .cache/kafka/classpath.txt. Quick when already resolved.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const KAFKA_VERSION = process.env.KAFKA_VERSION ?? '4.3.1'
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const CACHE = join(ROOT, '.cache', 'kafka', KAFKA_VERSION)

export function resolveKafkaClasspath () {
  const out = join(CACHE, 'classpath.txt')
  if (existsSync(out)) {
    const cp = readFileSync(out, 'utf8').trim()
    if (cp.split(':').every(jar => existsSync(jar))) return cp
  }
  mkdirSync(CACHE, { recursive: true })
  writeFileSync(join(CACHE, 'pom.xml'), `<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
<groupId>connect-standalone.test</groupId><artifactId>kafka-broker-classpath</artifactId><version>1</version>
<dependencies><dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>${KAFKA_VERSION}</version></dependency></dependencies>
</project>
`)
  process.stderr.write(`Resolving Apache Kafka ${KAFKA_VERSION} with Maven (first run only)...\n`)
  const started = Date.now()
  execFileSync('mvn', ['-q', '-B', 'dependency:build-classpath', `-Dmdep.outputFile=${out}`], { cwd: CACHE, stdio: ['ignore', 'inherit', 'inherit'] })
  process.stderr.write(`Resolved Apache Kafka ${KAFKA_VERSION} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`)
  return readFileSync(out, 'utf8').trim()
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const cp = resolveKafkaClasspath()
  process.stdout.write(`${cp.split(':').length} jars on the Kafka classpath\n`)
}
