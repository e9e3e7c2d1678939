// The differential peer of our Schema Registry converters: Apicurio's Kafka Connect AvroConverter
// (io.apicurio:apicurio-registry-utils-converter, io.apicurio.registry.utils.converter.AvroConverter) run inside
// Apache Kafka Connect 4.3.1 (apache-connect.mjs), configured to write and read Confluent's wire format against the
// tests' Apicurio Registry: magic byte 0, the schema's 4-byte big-endian id as GET /apis/ccompat/v7/schemas/ids/<id>
// knows it, the Avro binary; no record headers.
//
//   const pluginPath = resolveApicurioConverterPluginPath()
//   await startApacheConnect({ dir, workerProps: { 'plugin.path': pluginPath, ...apicurioConverterProps(registry.url) }, ... })
//
// The converter's Maven dependencies include Kafka 3.9's connect-api, connect-json and kafka-clients and Avro 1.12.0.
// It goes on plugin.path, not on the classpath: Connect loads it in its own class loader (its Avro, Jackson and
// commons jars stay there), and the Kafka jars are left out so that the worker's own 4.3.1 API is the only one.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { basename, join, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { cacheDirFor, resolveClasspath } from './resolve-classpath.mjs'

export const APICURIO_CONVERTER_VERSION = '2.6.13.Final'
export const APICURIO_AVRO_CONVERTER = 'io.apicurio.registry.utils.converter.AvroConverter'

const NAME = 'apicurio-converter'
const TITLE = `Apicurio Registry's Kafka Connect converters ${APICURIO_CONVERTER_VERSION}`
const CACHE_DIR = cacheDirFor(NAME)
/** The plugin.path entry: a directory whose one subdirectory holds the converter's jars. */
export const APICURIO_PLUGIN_PATH = join(CACHE_DIR, 'plugins')
const PLUGIN_DIR = join(APICURIO_PLUGIN_PATH, 'apicurio-registry-converter')

// Jars the worker already has (and must be the only source of): Kafka's own, the compression codecs kafka-clients
// brings, and slf4j's API, which Connect loads from its own class loader in any case.
const LEFT_OUT = [/\/org\/apache\/kafka\//, /\/com\/github\/luben\/zstd-jni\//, /\/org\/lz4\//, /\/org\/xerial\/snappy\//, /\/org\/slf4j\//]

/** The converter's runtime classpath as Maven resolves it (Kafka's jars included). */
export function resolveApicurioConverterClasspath () {
  return resolveClasspath({
    name: NAME,
    title: TITLE,
    generator: 'test/harness/apicurio-converter.mjs',
    purpose: 'Apicurio\'s Kafka Connect AvroConverter, the peer converter of the differential tests',
    artifactId: 'apicurio-converter-classpath',
    version: APICURIO_CONVERTER_VERSION,
    downloadHint: 'about 15 MB',
    dependencies: [{ groupId: 'io.apicurio', artifactId: 'apicurio-registry-utils-converter', version: APICURIO_CONVERTER_VERSION }]
  })
}

/**
 * Returns a plugin.path value (a directory) under which Apache Connect finds Apicurio's converters, resolving them
 * with Maven the first time and copying their jars (less Kafka's) into .cache/apicurio-converter/plugins/.
 */
export function resolveApicurioConverterPluginPath () {
  const classpath = resolveApicurioConverterClasspath()
  const jars = classpath.split(':').filter(jar => !LEFT_OUT.some(re => re.test(jar.split(sep).join('/'))))
  const listing = jars.map(jar => basename(jar)).sort().join('\n') + '\n'
  const stamp = join(PLUGIN_DIR, 'jars.txt')
  try {
    if (readFileSync(stamp, 'utf8') === listing && jars.every(jar => existsSync(join(PLUGIN_DIR, basename(jar))))) return APICURIO_PLUGIN_PATH
  } catch {}
  // Built aside and moved into place, so that a concurrent run never sees half a plugin.
  const staged = join(CACHE_DIR, `plugin-${process.pid}`)
  rmSync(staged, { recursive: true, force: true })
  mkdirSync(staged, { recursive: true })
  for (const jar of jars) copyFileSync(jar, join(staged, basename(jar)))
  writeFileSync(join(staged, 'jars.txt'), listing)
  mkdirSync(APICURIO_PLUGIN_PATH, { recursive: true })
  rmSync(PLUGIN_DIR, { recursive: true, force: true })
  try {
    renameSync(staged, PLUGIN_DIR)
  } catch (err) {
    rmSync(staged, { recursive: true, force: true })
    if (!existsSync(stamp)) throw err
  }
  return APICURIO_PLUGIN_PATH
}

/**
 * Worker (or connector) settings that make Apicurio's AvroConverter the key or value converter, speaking Confluent's
 * wire format to the registry at `registryUrl` (its base URL; a trailing /apis/ccompat/v7 is dropped).
 *
 * - apicurio.registry.url: Apicurio's own REST API (v2), which this client speaks; the ccompat API is not used.
 * - apicurio.registry.headers.enabled=false: the schema id goes into the value (after magic byte 0), not into record
 *   headers (the default is headers).
 * - apicurio.registry.as-confluent=true: a 4-byte id (Legacy4ByteIdHandler); the default handler writes 8 bytes.
 * - apicurio.registry.use-id=contentId: the id written (and read) is the content id, which is what the registry's
 *   ccompat API serves as a schema id (GET /schemas/ids/<id>); the default, globalId, numbers artifact versions and
 *   parts from content ids as soon as one schema is registered under two subjects.
 * - apicurio.registry.auto-register=true: register the schema under <topic>-key / <topic>-value (TopicIdStrategy, in
 *   the default group, which is what ccompat subjects are), a new version when it changed (if-exists RETURN_OR_UPDATE).
 *
 * options.isKey        key.converter instead of value.converter
 * options.prefix       replaces 'key.converter' / 'value.converter' (e.g. for connector-level overrides)
 * options.extra        more converter settings, without the prefix (e.g. { 'apicurio.registry.auto-register': 'false' })
 */
export function apicurioConverterProps (registryUrl, options = {}) {
  const prefix = options.prefix ?? (options.isKey ? 'key.converter' : 'value.converter')
  const base = String(registryUrl).replace(/\/+$/, '').replace(/\/apis\/ccompat\/v\d+$/, '')
  const settings = {
    'apicurio.registry.url': `${base}/apis/registry/v2`,
    'apicurio.registry.headers.enabled': 'false',
    'apicurio.registry.as-confluent': 'true',
    'apicurio.registry.use-id': 'contentId',
    'apicurio.registry.auto-register': 'true',
    ...(options.extra ?? {})
  }
  return {
    [prefix]: APICURIO_AVRO_CONVERTER,
    ...Object.fromEntries(Object.entries(settings).map(([k, v]) => [`${prefix}.${k}`, v]))
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const started = Date.now()
    const dir = resolveApicurioConverterPluginPath()
    process.stderr.write(`[${NAME}-resolve] ${TITLE}: ${readdirSync(PLUGIN_DIR).length - 1} jars in ${dir} (${Date.now() - started} ms)\n`)
    process.stdout.write(`${dir}\n`)
  } catch (err) {
    process.stderr.write(`[${NAME}-resolve] ${err instanceof Error ? err.message : String(err)}\n`)
    process.exit(1)
  }
}
