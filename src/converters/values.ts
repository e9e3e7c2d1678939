/**
 * Kafka's Values.convertToString and Values.parseString, which SimpleHeaderConverter uses to write header values as
 * text and to infer a schema when reading them back, and InsertHeader uses to type its literal. parseString follows
 * Apache 4.3.1's tokenizer and recursive parser step by step (test/converters/values/golden.jsonl holds what the real
 * classes return), because its results depend on details such as which tokens are skipped as blank, when a failed
 * array or map falls back to text and how element schemas merge. Dates use UTC (Apache uses the JVM's default time
 * zone, which is UTC in the usual container).
 */
export { convertToString } from './values/convert-to-string.ts'
export { parseString } from './values/value-parser.ts'
