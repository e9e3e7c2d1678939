// Lint: the layering rule is what matters. Each folder of src may import only the folders listed for it in LAYERING
// (its own always); ARCHITECTURE.md draws the same picture and test/lint/layering.test.ts proves each edge.
import tseslint from 'typescript-eslint'

/**
 * What each folder of src may import. src/api is the plugin SPI: plugins compile against it alone (connectors/ and
 * examples/ reach only src/api, as Apache's connect:file depends only on connect:api). Ground: src/util (logging,
 * version, the JSON reader) imports nothing else of ours; src/java (Java's rules: HashMap order, number formatting,
 * toString, chars, UTF-8, regex, serialization, charsets, .properties, keystores, JAAS) imports src/api for its error
 * classes, except the units the SPI shares (see SPI_JAVA), which import no value from src/api, so the two never
 * form a cycle. The plugins (converters, transforms, config providers) build on the SPI; the runtime reaches every
 * layer below it; the REST layer reaches the runtime only through the Herder interface; src/cli composes everything
 * and nothing imports it.
 */
const SPI_JAVA = ['chars', 'civil-date', 'hash-map', 'number-format', 'to-string', 'utf8']
const LAYERING = {
  api: ['api', ...SPI_JAVA.map(f => `java/${f}.ts`)],
  util: ['util'],
  java: ['java', 'api'],
  converters: ['converters', 'api', 'java', 'util'],
  transforms: ['transforms', 'api', 'java', 'util', 'converters'],
  providers: ['providers', 'api', 'java', 'util'],
  storage: ['storage', 'api', 'java', 'util'],
  kafka: ['kafka', 'api', 'java', 'util'],
  plugins: ['plugins', 'api', 'java', 'util', 'converters', 'transforms', 'providers', '../connectors'],
  config: ['config', 'api', 'java', 'util', 'plugins', 'rest/rest-server-config.ts'],
  // The herder throws the REST layer's errors (BadRequestError, 403 for topic tracking), as Apache's herders throw
  // BadRequestException (issue 12): that file of src/rest, which imports only src/api, and no other.
  runtime: ['runtime', 'api', 'storage', 'kafka', 'converters', 'transforms', 'config', 'plugins', 'java', 'util', 'rest/errors.ts'],
  rest: ['rest', 'api', 'java', 'util', 'runtime/herder.ts'],
  cli: null // composes everything
}

/** Imports allowed as types only (`import type`): the values behind them stay out of reach. */
const TYPE_ONLY = {
  // Apache's Herder answers in the REST entities (ConnectorInfo, ConnectorStateInfo, ConfigInfos...), which live
  // with the REST layer (issue 12): the runtime may name those types and nothing else of src/rest.
  runtime: ['rest/entities.ts'],
  // The SPI-shared Java units may name SPI types (Schema) without importing a value.
  spiJava: ['api']
}

/**
 * Narrow exceptions, each an edge today's code still has whose fix lies in a file another part of issue 12 is
 * reshaping: remove the entry once the edge is gone.
 */
const EXCEPTIONS = [
  // None today. An entry looks like { files: ['src/rest/x.ts'], allow: ['config/y.ts'] }, with a comment saying why.
]

const escape = s => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
/** A folder ('java') or one file ('java/chars.ts') as what follows the `../`s of an import. */
const target = t => t.endsWith('.ts') ? `${escape(t)}$` : `${escape(t.replace(/^\.\.\//, '../'))}/`
const MAX_DEPTH = 4

/** no-restricted-imports for the files `depth` folders below src (src/x/a.ts is depth 1). */
function restrictions (layer, allowed, typeOnly, depth, message) {
  const up = `^(\\.\\./){${depth}}`
  const patterns = [{ regex: `${up}(?!${allowed.concat(typeOnly).map(target).join('|')})`, message }]
  if (typeOnly.length > 0) patterns.push({ regex: `${up}(${typeOnly.map(target).join('|')})`, allowTypeImports: true, message: `${message} (types only)` })
  return ['error', { patterns }]
}

function layerConfigs () {
  const out = []
  for (const [layer, allowed] of Object.entries(LAYERING)) {
    if (allowed === null) continue
    const message = `${layer === 'api' ? 'src/api is the SPI: it may import only src/api. ' : ''}src/${layer} may import only ${allowed.join(', ')}${TYPE_ONLY[layer] ? ` and the types of ${TYPE_ONLY[layer].join(', ')}` : ''} (eslint.config.js, LAYERING).`
    for (let depth = 1; depth <= MAX_DEPTH; depth++) {
      const files = [`src/${layer}/${'*/'.repeat(depth - 1)}*.ts`]
      out.push({ files, rules: { 'no-restricted-imports': restrictions(layer, allowed, TYPE_ONLY[layer] ?? [], depth, message) } })
      for (const e of EXCEPTIONS) {
        const mine = e.files.filter(f => f.startsWith(`src/${layer}/`) && f.split('/').length === depth + 2)
        if (mine.length > 0) out.push({ files: mine, rules: { 'no-restricted-imports': restrictions(layer, allowed.concat(e.allow), TYPE_ONLY[layer] ?? [], depth, message) } })
      }
    }
  }
  // The SPI-shared Java units: no value from src/api, so src/api may import them.
  out.push({
    files: SPI_JAVA.map(f => `src/java/${f}.ts`),
    rules: { 'no-restricted-imports': restrictions('java', ['java'], TYPE_ONLY.spiJava, 1, 'The Java units src/api shares import only src/java, and types from src/api (eslint.config.js, SPI_JAVA).') }
  })
  return out
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.cache/**', '.scratch/**'] },
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      'no-var': 'error',
      'prefer-const': 'error',
      eqeqeq: ['error', 'always', { null: 'ignore' }]
    }
  },
  ...layerConfigs(),
  {
    // The package's main entry: the SPI.
    files: ['src/index.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ regex: '^\\./(?!api/)', message: 'src/index.ts exports the SPI: it may import only src/api.' }] }] }
  },
  {
    files: ['connectors/**/*.ts', 'examples/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '(^|/)src/(?!api(/|$))', message: 'Connectors and plugins may import only src/api.' }, { regex: '^connect-standalone/(?!api$)', message: 'Connectors and plugins may import only src/api.' }] }]
    }
  }
)
