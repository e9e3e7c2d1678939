import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'

/** This package's version, read once (dist/src/util → ../../../package.json, src/util → ../../package.json). */
function readVersion (): string {
  for (const rel of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as { name?: string, version?: string }
      if (pkg.name === 'connect-standalone' && pkg.version) return pkg.version
    } catch {}
  }
  return '0.0.0'
}

export const VERSION = readVersion()

/** The Apache Kafka Connect release whose standalone worker, REST API and file formats this one follows. */
export const APACHE_CONNECT_COMPATIBLE = '4.3'

/**
 * What `--version` prints: the version first (scripts read the first word), then what it is and what it runs on, as a
 * bug report needs them. librdkafka is asked only here, so a missing native addon still lets `--version` answer.
 */
export function versionText (): string {
  let librdkafka: string
  try {
    librdkafka = `librdkafka ${(createRequire(import.meta.url)('node-rdkafka') as { librdkafkaVersion: string }).librdkafkaVersion}`
  } catch {
    librdkafka = 'librdkafka not loadable'
  }
  return `${VERSION} connect-standalone (Apache Kafka Connect ${APACHE_CONNECT_COMPATIBLE} compatible; Node ${process.version}, ${librdkafka})`
}
