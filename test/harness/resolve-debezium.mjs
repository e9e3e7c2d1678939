// Resolves the reference of issue 15, Debezium's PostgreSQL source connector and its JDBC sink connector, from Maven
// Central with the machine's `mvn`, and lays each out as an Apache Kafka Connect plugin directory (one folder of jars
// per plugin, symlinks into ~/.m2) under .cache/debezium/plugins/, the directory to pass as `plugin.path`.
//
//   node test/harness/resolve-debezium.mjs      prints the plugins directory
//
// What the Connect runtime already provides is left out of the plugin folders (connect-api, kafka-clients and the
// other org.apache.kafka jars, slf4j-api, Jackson; see PROVIDED): Connect loads those classes from its own classpath
// anyway, and a second copy inside a plugin can clash with them.
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { basename, join, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { cacheDirFor, resolveClasspath } from './resolve-classpath.mjs'

export const DEBEZIUM_VERSION = '3.6.1.Final'
export const DEBEZIUM_CACHE_DIR = cacheDirFor('debezium')
export const DEBEZIUM_PLUGINS_DIR = join(DEBEZIUM_CACHE_DIR, 'plugins')

// Maven Central serves no debezium-connector-jdbc 3.6.1.Final (its metadata stops at 3.6.0.Final, while the Postgres
// connector goes on to 3.7.x): the sink is the latest 3.6 release there is. Each plugin folder is loaded in isolation,
// so the two versions never share a class.
export const DEBEZIUM_JDBC_VERSION = '3.6.0.Final'

/** The plugins, each resolved on its own (its own pom and classpath) into its own plugin folder. */
export const DEBEZIUM_PLUGINS = Object.freeze([
  { folder: 'debezium-connector-postgres', artifactId: 'debezium-connector-postgres', version: DEBEZIUM_VERSION, downloadHint: 'about 15 MB' },
  {
    folder: 'debezium-connector-jdbc',
    artifactId: 'debezium-connector-jdbc',
    version: DEBEZIUM_JDBC_VERSION,
    downloadHint: 'about 60 MB',
    // The sink's pom names org.hibernate:hibernate-agroal 7.2.6.Final, which no repository serves under that group
    // (Hibernate 7 publishes as org.hibernate.orm, and Central has its hibernate-agroal at 7.2.0 and 7.2.19 only): the
    // nearest release under the right group replaces it. Hibernate's core stays the sink's own 7.2.6.
    exclusions: [{ groupId: 'org.hibernate', artifactId: 'hibernate-agroal' }],
    extra: [{ groupId: 'org.hibernate.orm', artifactId: 'hibernate-agroal', version: '7.2.0.Final', exclusions: [{ groupId: 'org.apache.logging.log4j', artifactId: 'log4j-core' }] }]
  }
])

const log = message => process.stderr.write(`[debezium-resolve] ${message}\n`)

// Repository paths of what Connect provides: Kafka's own jars, slf4j-api, the compression codecs kafka-clients brings
// (Debezium's plugins reach them only through kafka-clients), and Jackson. Connect's classpath has the same Jackson
// 2.21 plus modules registered for ServiceLoader, which a plugin's class loader also sees: with a second Jackson in the
// plugin, the JDBC sink's Hibernate fails in ObjectMapper.findModules ("JakartaXmlBindAnnotationModule not a subtype").
const PROVIDED = ['org/apache/kafka/', 'org/slf4j/slf4j-api/', 'com/github/luben/zstd-jni/', 'at/yawk/lz4/', 'org/lz4/',
  'org/xerial/snappy/', 'com/fasterxml/jackson/']

/**
 * True for a jar the Connect worker's own classpath already has, by its path in Maven's repository layout (wherever
 * the local repository is: the group's folders follow its root).
 */
function providedByConnect (jar) {
  const path = jar.split(sep).join('/')
  return PROVIDED.some(prefix => path.includes(`/${prefix}`))
}

function pluginJars (plugin) {
  const classpath = resolveClasspath({
    name: `debezium/${plugin.folder}`,
    title: `io.debezium:${plugin.artifactId}:${plugin.version}`,
    generator: 'test/harness/resolve-debezium.mjs',
    purpose: `the jars of Debezium's ${plugin.artifactId} as a Kafka Connect plugin for differential tests`,
    artifactId: `${plugin.folder}-plugin`,
    version: plugin.version,
    downloadHint: plugin.downloadHint,
    minJars: 3,
    dependencies: [
      { groupId: 'io.debezium', artifactId: plugin.artifactId, version: plugin.version, exclusions: plugin.exclusions },
      ...(plugin.extra ?? [])
    ]
  })
  return classpath.split(':').filter(jar => jar && !providedByConnect(jar))
}

/** True when `dir` holds exactly a link for every jar of `jars`, each still pointing at an existing file. */
function upToDate (dir, jars) {
  try {
    const listing = readFileSync(join(dir, '.jars.txt'), 'utf8')
    return listing === jars.join('\n') && jars.every(jar => existsSync(join(dir, basename(jar))))
  } catch {
    return false
  }
}

function layOut (plugin, jars) {
  const dir = join(DEBEZIUM_PLUGINS_DIR, plugin.folder)
  if (upToDate(dir, jars)) return
  // Built beside the final folder and renamed into place: Connect never scans a half-made plugin.
  const staging = `${dir}.${process.pid}.tmp`
  rmSync(staging, { recursive: true, force: true })
  mkdirSync(staging, { recursive: true })
  for (const jar of jars) symlinkSync(jar, join(staging, basename(jar)))
  writeFileSync(join(staging, '.jars.txt'), jars.join('\n'))
  rmSync(dir, { recursive: true, force: true })
  renameSync(staging, dir)
  log(`${plugin.folder}: ${jars.length} jars -> ${dir}`)
}

/**
 * Returns the directory to use as Kafka Connect's `plugin.path` to run Debezium 3.6.1.Final's PostgreSQL connector
 * and its JDBC sink connector (3.6.0.Final, see DEBEZIUM_JDBC_VERSION), resolving them with Maven the first time. Throws with Maven's output when that fails.
 */
export function resolveDebeziumPluginPath () {
  for (const plugin of DEBEZIUM_PLUGINS) layOut(plugin, pluginJars(plugin))
  // Folders of plugins no longer listed would still be loaded by Connect.
  const wanted = new Set(DEBEZIUM_PLUGINS.map(p => p.folder))
  for (const entry of readdirSync(DEBEZIUM_PLUGINS_DIR)) {
    if (!wanted.has(entry) && !entry.endsWith('.tmp')) rmSync(join(DEBEZIUM_PLUGINS_DIR, entry), { recursive: true, force: true })
  }
  return DEBEZIUM_PLUGINS_DIR
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const started = Date.now()
    const dir = resolveDebeziumPluginPath()
    log(`Debezium ${DEBEZIUM_VERSION} plugins ready (${Date.now() - started} ms)`)
    process.stdout.write(`${dir}\n`)
  } catch (err) {
    log(err instanceof Error ? err.message : String(err))
    process.exit(1)
  }
}
