/**
 * Builds a connector's key, value and header converters: the connector's own class and `<key>.*` settings when it
 * sets one, else the worker's (as Apache: a connector-level converter gets only the connector's prefixed settings).
 */
import type { Converter, HeaderConverter } from '../api/index.ts'
import {
  HEADER_CONVERTER_CLASS_CONFIG, KEY_CONVERTER_CLASS_CONFIG, VALUE_CONVERTER_CLASS_CONFIG, type ConnectorConfig, type ConverterConfig
} from '../config/connector-config.ts'
import type { PluginRegistry } from '../plugins/registry.ts'

export type ConverterSetting = ConverterConfig

export interface WorkerConverterSettings {
  keyConverter: ConverterSetting
  valueConverter: ConverterSetting
  headerConverter: ConverterSetting
}

export interface ConnectorConverters {
  keyConverter: Converter
  valueConverter: Converter
  headerConverter: HeaderConverter
  /** Their resolved class names, as error reports name the executing class. */
  classNames: { key: string, value: string, header: string }
}

export function buildConverters (cfg: Pick<ConnectorConfig, 'keyConverter' | 'valueConverter' | 'headerConverter'>,
  worker: WorkerConverterSettings, registry: PluginRegistry): ConnectorConverters {
  const key = cfg.keyConverter ?? worker.keyConverter
  const value = cfg.valueConverter ?? worker.valueConverter
  const header = cfg.headerConverter ?? worker.headerConverter
  const keyDescriptor = registry.resolve(key.className, ['converter'], KEY_CONVERTER_CLASS_CONFIG)
  const keyConverter = keyDescriptor.create()
  keyConverter.configure(key.props, true)
  const valueDescriptor = registry.resolve(value.className, ['converter'], VALUE_CONVERTER_CLASS_CONFIG)
  const valueConverter = valueDescriptor.create()
  valueConverter.configure(value.props, false)
  const headerDescriptor = registry.resolve(header.className, ['header_converter'], HEADER_CONVERTER_CLASS_CONFIG)
  const headerConverter = headerDescriptor.create()
  headerConverter.configure(header.props)
  return {
    keyConverter,
    valueConverter,
    headerConverter,
    classNames: { key: keyDescriptor.className, value: valueDescriptor.className, header: headerDescriptor.className }
  }
}
