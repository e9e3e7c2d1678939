/**
 * The plugin module contract. A plugin module default-exports `definePlugins([...])`: a list of descriptors, each
 * naming the plugin by its class name (Kafka's fully qualified name for built-ins) plus optional extra aliases.
 */
import type { SinkConnectorBase } from './sink.ts'
import type { SourceConnectorBase } from './source.ts'
import type { Converter, HeaderConverter } from './converter.ts'
import type { Predicate, Transformation } from './transformation.ts'
import type { ConfigProvider } from './config-provider.ts'

/** Bumped on incompatible SPI changes; the loader refuses plugins built for another major. */
export const API_VERSION = 1

export interface PluginKinds {
  source: SourceConnectorBase
  sink: SinkConnectorBase
  converter: Converter
  header_converter: HeaderConverter
  transformation: Transformation
  predicate: Predicate
  config_provider: ConfigProvider
}

export type PluginKind = keyof PluginKinds

export interface PluginDescriptor<K extends PluginKind = PluginKind> {
  readonly kind: K
  /** Class name, e.g. org.apache.kafka.connect.file.FileStreamSourceConnector or com.example.UppercaseTransform. */
  readonly className: string
  readonly version: string
  /** Extra aliases beyond Kafka's computed ones (simple name, pruned name). */
  readonly aliases?: readonly string[]
  readonly create: () => PluginKinds[K]
}

export interface PluginManifest {
  readonly apiVersion: number
  readonly plugins: readonly PluginDescriptor[]
}

export function definePlugins (plugins: readonly PluginDescriptor[]): PluginManifest {
  return Object.freeze({ apiVersion: API_VERSION, plugins: Object.freeze([...plugins]) })
}

/** Typed helper so a descriptor's `create` is checked against its kind. */
export function plugin<K extends PluginKind> (descriptor: PluginDescriptor<K>): PluginDescriptor<K> {
  return Object.freeze({ ...descriptor })
}
