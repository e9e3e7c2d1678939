// Types of resolve-debezium.mjs, for the TypeScript tests.

export declare const DEBEZIUM_VERSION: string
/** Maven Central has no debezium-connector-jdbc 3.6.1.Final: the sink is 3.6.0.Final. */
export declare const DEBEZIUM_JDBC_VERSION: string
export declare const DEBEZIUM_CACHE_DIR: string
export declare const DEBEZIUM_PLUGINS_DIR: string
export declare const DEBEZIUM_PLUGINS: ReadonlyArray<{ folder: string, artifactId: string, version: string, downloadHint: string }>

/** The directory to use as Kafka Connect's plugin.path (one folder per Debezium plugin), resolved with Maven once. */
export declare function resolveDebeziumPluginPath (): string
