// Lint: the layering rule is what matters. src/api is the SPI and imports nothing else of ours; connectors and
// example plugins import only src/api (as Apache's connect:file depends only on connect:api).
import tseslint from 'typescript-eslint'

const LAYERS = ['**/src/runtime/**', '**/src/rest/**', '**/src/cli/**', '**/src/config/**', '**/src/storage/**',
  '**/src/kafka/**', '**/src/plugins/**', '**/src/converters/**', '**/src/util/**', '**/connectors/**']

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.cache/**'] },
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
  {
    files: ['src/api/**/*.ts'],
    rules: {
      // The SPI re-exports, and uses, the Java-rule units plugins need (src/java/*, which import no value from src/api).
      'no-restricted-imports': ['error', { patterns: [{ group: LAYERS, message: 'src/api is the SPI: it may import only src/api.' }, { regex: '^\\.\\./(?!java/(chars|hash-map|number-format|to-string|utf8)\\.ts$)', message: 'src/api is the SPI: it may import only src/api.' }] }]
    }
  },
  {
    files: ['connectors/**/*.ts', 'examples/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: LAYERS.filter(l => l !== '**/connectors/**'), message: 'Connectors and plugins may import only src/api.' }] }]
    }
  }
)
