/**
 * The built-in config providers, as plugins of kind config_provider (class names and aliases as in Apache). Like the
 * converters and transformations they are plugins: the plugin registry registers them (plugins/builtin.ts) and the
 * config layer reaches them only through it (config-transformer.ts), as Apache loads them through its Plugins.
 */
import { definePlugins, plugin, type PluginManifest } from '../api/index.ts'
import { VERSION } from '../util/version.ts'
import { DIRECTORY_CONFIG_PROVIDER, DirectoryConfigProvider } from './directory-config-provider.ts'
import { ENV_VAR_CONFIG_PROVIDER, EnvVarConfigProvider } from './env-var-config-provider.ts'
import { FILE_CONFIG_PROVIDER, FileConfigProvider } from './file-config-provider.ts'

export { DirectoryConfigProvider, EnvVarConfigProvider, FileConfigProvider }
export { DIRECTORY_CONFIG_PROVIDER, ENV_VAR_CONFIG_PROVIDER, FILE_CONFIG_PROVIDER }

export const builtinConfigProviders: PluginManifest = definePlugins([
  plugin({ kind: 'config_provider', className: FILE_CONFIG_PROVIDER, version: VERSION, create: () => new FileConfigProvider() }),
  plugin({ kind: 'config_provider', className: DIRECTORY_CONFIG_PROVIDER, version: VERSION, create: () => new DirectoryConfigProvider() }),
  plugin({ kind: 'config_provider', className: ENV_VAR_CONFIG_PROVIDER, version: VERSION, create: () => new EnvVarConfigProvider() })
])
