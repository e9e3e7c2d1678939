// Types of apicurio-converter.mjs, for the TypeScript tests (plain JavaScript so that benchmarks run by plain `node`
// can use it too).

export declare const APICURIO_CONVERTER_VERSION: string
/** io.apicurio.registry.utils.converter.AvroConverter */
export declare const APICURIO_AVRO_CONVERTER: string
/** The plugin.path directory resolveApicurioConverterPluginPath() fills. */
export declare const APICURIO_PLUGIN_PATH: string

/** The converter's runtime classpath as Maven resolves it (Kafka 3.9's jars included; not for the worker's classpath). */
export declare function resolveApicurioConverterClasspath (): string

/** A plugin.path value for startApacheConnect's workerProps under which Apache Connect finds Apicurio's converters. */
export declare function resolveApicurioConverterPluginPath (): string

export interface ApicurioConverterOptions {
  /** key.converter instead of value.converter. */
  isKey?: boolean
  /** Replaces 'key.converter' / 'value.converter' as the prefix. */
  prefix?: string
  /** More converter settings, without the prefix; they win over the defaults. */
  extra?: Record<string, string>
}

/**
 * Settings making Apicurio's AvroConverter the key or value converter in Confluent's wire format (magic 0, 4-byte
 * content id as the ccompat API serves it, no headers) against the registry at `registryUrl` (base URL; a trailing
 * /apis/ccompat/v7 is dropped).
 */
export declare function apicurioConverterProps (registryUrl: string, options?: ApicurioConverterOptions): Record<string, string>
