/**
 * Builds a connector's key, value and header converters: the connector's own class and `<key>.*` settings when it
 * sets one, else the worker's (as Apache: a connector-level converter gets only the connector's prefixed settings).
 */
import type { Converter, HeaderConverter } from '../api/index.ts'
import { HEADER_CONVERTER_CLASS_CONFIG, KEY_CONVERTER_CLASS_CONFIG, VALUE_CONVERTER_CLASS_CONFIG } from '../config/connector-config.ts'
import type { PluginRegistry } from '../plugins/registry.ts'

export interface ConverterSetting { className: string, props: Record<string, string> }

export interface WorkerConverterSettings {
  keyConverter: ConverterSetting
  valueConverter: ConverterSetting
  headerConverter: ConverterSetting
}

export interface ConnectorConverters {
  keyConverter: Converter
  valueConverter: Converter
  headerConverter: HeaderConverter
}

export function withPrefix (props: Readonly<Record<string, string>>, prefix: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(props)) if (k.startsWith(prefix)) out[k.slice(prefix.length)] = v
  return out
}

function choose (cfg: Readonly<Record<string, string>>, key: string, worker: ConverterSetting): ConverterSetting {
  const own = cfg[key]?.trim()
  return own ? { className: own, props: withPrefix(cfg, `${key}.`) } : worker
}

export function buildConverters (cfg: Readonly<Record<string, string>>, worker: WorkerConverterSettings, registry: PluginRegistry): ConnectorConverters {
  const key = choose(cfg, KEY_CONVERTER_CLASS_CONFIG, worker.keyConverter)
  const value = choose(cfg, VALUE_CONVERTER_CLASS_CONFIG, worker.valueConverter)
  const header = choose(cfg, HEADER_CONVERTER_CLASS_CONFIG, worker.headerConverter)
  const keyConverter = registry.create(key.className, ['converter'], KEY_CONVERTER_CLASS_CONFIG)
  keyConverter.configure(key.props, true)
  const valueConverter = registry.create(value.className, ['converter'], VALUE_CONVERTER_CLASS_CONFIG)
  valueConverter.configure(value.props, false)
  const headerConverter = registry.create(header.className, ['header_converter'], HEADER_CONVERTER_CLASS_CONFIG)
  headerConverter.configure(header.props)
  return { keyConverter, valueConverter, headerConverter }
}
