// Shared by the SMT golden generators: resolves Apache's connect-transforms (with connect-json and connect-api)
// through Maven, compiles a generator class, and runs it over JSON-line cases in UTC/en_US (SimpleDateFormat text
// and Values' temporal parsing depend on the JVM defaults). Returns the generator's JSON-line output.
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export const KAFKA_VERSION = '4.3.1'

export function runSmtGolden ({ cacheDir, artifactId, source, mainClass, cases }) {
  const classes = join(cacheDir, 'classes')
  mkdirSync(classes, { recursive: true })
  writeFileSync(join(cacheDir, 'pom.xml'), `<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
<groupId>connect-standalone.test</groupId><artifactId>${artifactId}</artifactId><version>1</version>
<dependencies>
${['connect-transforms', 'connect-json', 'connect-api'].map(a => `<dependency><groupId>org.apache.kafka</groupId><artifactId>${a}</artifactId><version>${KAFKA_VERSION}</version></dependency>`).join('\n')}
</dependencies>
</project>
`)
  const cpFile = join(cacheDir, 'classpath.txt')
  execFileSync('mvn', ['-q', '-B', '-Dstyle.color=never', 'dependency:build-classpath', `-Dmdep.outputFile=${cpFile}`], { cwd: cacheDir, stdio: ['ignore', 'ignore', 'inherit'] })
  const classpath = readFileSync(cpFile, 'utf8').trim()
  execFileSync('javac', ['-nowarn', '-d', classes, '-cp', classpath, source], { stdio: ['ignore', 'ignore', 'inherit'] })
  return execFileSync('java', ['-Duser.timezone=UTC', '-Duser.language=en', '-Duser.country=US', '-cp', `${classpath}:${classes}`, mainClass], {
    input: cases.map(c => JSON.stringify(c)).join('\n') + '\n', encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['pipe', 'pipe', 'ignore']
  })
}
