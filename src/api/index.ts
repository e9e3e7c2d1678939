/** The connector SPI: everything a plugin author compiles against. Imports nothing outside src/api but the Java-rule units it shares from src/java (which import no value from src/api). */
export {
  AlreadyExistsError, ConfigError, ConfigFileError, ConnectError, DataError, ErrorCode, isRetriable, KafkaError, NotFoundError,
  OffsetStoreError, PluginError, RetriableError, TimeoutError, type ConnectErrorCode, type ConnectErrorOptions, type ErrorCodeValue
} from './errors.ts'
export * from './config-def.ts'
export * from '../java/chars.ts'
export * from './schema.ts'
export * from './headers.ts'
export * from './record.ts'
export * from './connector.ts'
export * from './source.ts'
export * from './sink.ts'
export * from './converter.ts'
export * from './transformation.ts'
export * from './plugin.ts'
export * from './config-provider.ts'
export * from './schema-builder.ts'
export * from './struct.ts'
export * from './logical-types.ts'
export { javaDoubleToString, javaFloatToString } from '../java/number-format.ts'
export { decodeUtf8Java } from '../java/utf8.ts'
export { javaDefaultCompare, javaDoubleHash, javaFloatHash, javaHashMapOrder, javaLongHash, javaStringHash, type JavaHashMapCreation, type JavaKeyCompare } from '../java/hash-map.ts'
export { javaByteArrayToString, javaClassName, javaDateToString, javaToString, type JavaToStringOptions } from '../java/to-string.ts'
