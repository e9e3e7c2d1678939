// Resolves the real Apache Kafka Connect standalone worker from Maven Central with the machine's `mvn`: the runtime
// (org.apache.kafka.connect.cli.ConnectStandalone and its REST server), the FileStream connectors, JsonConverter and
// the built-in transformations, plus a logging backend. The classpath goes to .cache/connect/classpath.txt, the jars
// stay in ~/.m2; a second run only checks that the listed jars still exist.
//
//   node test/harness/resolve-connect.mjs      prints the classpath file's path
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { cacheDirFor, resolveClasspath, resolveFromCommandLine } from './resolve-classpath.mjs'
import { KAFKA_VERSION, LOG4J_VERSION } from './resolve-kafka.mjs'

export const CONNECT_VERSION = KAFKA_VERSION
export const CONNECT_CACHE_DIR = cacheDirFor('connect')
export const CONNECT_CLASSPATH_FILE = join(CONNECT_CACHE_DIR, 'classpath.txt')

const TITLE = `Apache Kafka Connect ${CONNECT_VERSION}`

/**
 * Returns the Java classpath of Apache Kafka Connect's standalone worker with connect-file, connect-json and
 * connect-transforms on it, resolving it with Maven the first time. Throws with Maven's output when that fails.
 *
 * connect-runtime only depends on slf4j-api (1.7.36) and no binding; Apache's distribution puts log4j2 and its slf4j
 * 1.x binding next to it in libs/, which is what we do here, in the broker's log4j version. connect-file is on the
 * classpath rather than on plugin.path (Apache's kafka-run-class.sh keeps it off the classpath, so users point
 * plugin.path at it): classpath plugins are found just the same and plugin.path can stay unset.
 */
export function resolveConnectClasspath () {
  return resolveClasspath({
    name: 'connect',
    title: TITLE,
    generator: 'test/harness/resolve-connect.mjs',
    purpose: 'the classpath of Apache Kafka Connect\'s standalone worker for differential tests',
    artifactId: 'connect-standalone-classpath',
    version: CONNECT_VERSION,
    downloadHint: 'about 30 MB',
    dependencies: [
      ...['connect-runtime', 'connect-file', 'connect-json', 'connect-transforms'].map(artifactId =>
        ({ groupId: 'org.apache.kafka', artifactId, version: CONNECT_VERSION })),
      { groupId: 'org.apache.logging.log4j', artifactId: 'log4j-core', version: LOG4J_VERSION, scope: 'runtime' },
      { groupId: 'org.apache.logging.log4j', artifactId: 'log4j-slf4j-impl', version: LOG4J_VERSION, scope: 'runtime' }
    ]
  })
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  resolveFromCommandLine({ name: 'connect', title: TITLE, resolve: resolveConnectClasspath })
}
