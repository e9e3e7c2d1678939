// Resolves the real Apache Kafka broker (org.apache.kafka:kafka_2.13) and its runtime dependencies from Maven
// Central with the machine's `mvn`, and writes the Java classpath to .cache/kafka/classpath.txt. Maven's local
// repository (~/.m2) is the jar cache; a second run only checks that the listed jars still exist.
//
//   node test/harness/resolve-kafka.mjs      (npm run kafka:resolve) prints the classpath file's path
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { cacheDirFor, resolveClasspath, resolveFromCommandLine, ROOT } from './resolve-classpath.mjs'

export { ROOT }
export const KAFKA_VERSION = '4.3.1'
// kafka-server 4.3.1 depends on log4j-core 2.25.4 but on slf4j-api 1.7.36 without a binding, so the broker's slf4j
// logging would go nowhere. The distribution ships log4j-slf4j-impl (the slf4j 1.x binding) for that; the same
// version as log4j-core keeps Maven from mixing two log4j versions.
export const LOG4J_VERSION = '2.25.4'

export const CACHE_DIR = cacheDirFor('kafka')
export const CLASSPATH_FILE = join(CACHE_DIR, 'classpath.txt')

/**
 * Returns the Java classpath of Apache Kafka's broker (and its command-line tools), resolving it with Maven the first
 * time. Throws with Maven's output when the resolution fails.
 */
export function resolveKafkaClasspath () {
  return resolveClasspath({
    name: 'kafka',
    title: `Apache Kafka ${KAFKA_VERSION}`,
    generator: 'test/harness/resolve-kafka.mjs',
    purpose: 'the test broker\'s classpath',
    artifactId: 'kafka-broker-classpath',
    version: KAFKA_VERSION,
    downloadHint: 'about 60 MB',
    dependencies: [
      { groupId: 'org.apache.kafka', artifactId: 'kafka_2.13', version: KAFKA_VERSION },
      { groupId: 'org.apache.logging.log4j', artifactId: 'log4j-slf4j-impl', version: LOG4J_VERSION, scope: 'runtime' }
    ]
  })
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  resolveFromCommandLine({ name: 'kafka', title: `Apache Kafka ${KAFKA_VERSION}`, resolve: resolveKafkaClasspath })
}
